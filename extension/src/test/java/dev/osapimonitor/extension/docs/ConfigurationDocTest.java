package dev.osapimonitor.extension.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.bootstrap.OsApiOps;
import dev.osapimonitor.extension.OsApiConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md lists exactly the keys the extension reads, and one switch per instrumentation module. */
class ConfigurationDocTest {

  @Test
  void theDocumentedKeysAreTheKeysRead() throws Exception {
    String doc = Files.readString(Paths.get("..", "docs", "configuration.md"), StandardCharsets.UTF_8);
    String section = doc.substring(doc.indexOf("## Agent properties"), doc.indexOf("## Declarative configuration"));
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(section);
    while (m.find()) {
      documented.add(m.group(1));
    }
    Set<String> expected = new TreeSet<>(OsApiConfig.KEYS);
    expected.add("otel.instrumentation.osapi.enabled");
    for (int f = 0; f < OsApiOps.FAMILY_COUNT; f++) {
      expected.add("otel.instrumentation.osapi-" + OsApiOps.familyName(f) + ".enabled");
    }
    assertThat(documented).isEqualTo(expected);
  }

  @Test
  void everyFamilyHasItsModule() throws Exception {
    List<String> modules =
        Files.readAllLines(
            Paths.get("src", "main", "resources", "META-INF", "services",
                "io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule"));
    assertThat(modules.stream().filter(l -> !l.isBlank())).hasSize(OsApiOps.FAMILY_COUNT);
  }
}
