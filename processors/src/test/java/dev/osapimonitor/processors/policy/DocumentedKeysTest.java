package dev.osapimonitor.processors.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** docs/policy.md documents exactly the keys the parser accepts, in its key table and in its annotated schema. */
class DocumentedKeysTest {

  private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|");
  private static final Path DOC = Paths.get("..", "docs", "policy.md");

  private static String section(String doc, String heading) {
    int start = doc.indexOf(heading);
    assertThat(start).as(heading).isNotNegative();
    int end = doc.indexOf("\n## ", start + heading.length());
    return end < 0 ? doc.substring(start) : doc.substring(start, end);
  }

  @Test
  void theKeysTableEqualsTheParsedKeys() throws Exception {
    String keys = section(Files.readString(DOC, StandardCharsets.UTF_8), "## Keys");
    Set<String> documented = new TreeSet<>();
    for (String line : keys.split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        documented.add(m.group(1));
      }
    }
    assertThat(documented).isEqualTo(new TreeSet<>(PolicyParser.schemaKeys()));
  }

  @Test
  void theAnnotatedSchemaShowsEveryKey() throws Exception {
    String schema = section(Files.readString(DOC, StandardCharsets.UTF_8), "## Annotated schema");
    int open = schema.indexOf("```yaml") + 7;
    String yaml = schema.substring(open, schema.indexOf("```", open));
    Object document = new Load(LoadSettings.builder().build()).loadFromString(yaml);
    Set<String> shown = new TreeSet<>();
    walk("", document, shown);
    assertThat(shown).isEqualTo(new TreeSet<>(PolicyParser.schemaKeys()));
  }

  /** Collects key paths in the parser's notation: lists as [], list names as <name>, match keys as match.*. */
  private static void walk(String path, Object node, Set<String> out) {
    if (node instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) node).entrySet()) {
        String key = String.valueOf(e.getKey());
        String child;
        if (path.equals("lists")) {
          child = "lists.<name>";
        } else if (path.endsWith("match")) {
          child = "match." + key;
        } else {
          child = path.isEmpty() ? key : path + "." + key;
        }
        out.add(child);
        if (!child.equals("match.request") && !child.equals("lists.<name>")) {
          walk(child, e.getValue(), out);
        }
      }
    } else if (node instanceof List && !path.isEmpty()) {
      for (Object item : (List<?>) node) {
        if (item instanceof Map) {
          walk(path + "[]", item, out);
        }
      }
    }
  }

  @Test
  void theShippedPoliciesParse() throws Exception {
    for (String name : new String[] {"capture-all.yaml", "default.yaml", "ics-maintenance.yaml",
        "incident-response.yaml"}) {
      Policy p = PolicyParser.parseFile(Paths.get("..", "examples", "policies", name));
      assertThat(p.sha256()).hasSize(64);
      assertThat(p.toString()).startsWith("Policy{source=../examples/policies/" + name);
    }
  }
}
