package dev.osapimonitor.processors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.bootstrap.OsApiOps;
import dev.osapimonitor.processors.match.CallFacts;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every row of docs/attack-mapping.md: its example produces exactly the techniques the row lists. */
class AttackMappingDocTest {

  @Test
  void everyDocumentedRowIsWhatTheTaggerProduces() throws Exception {
    String doc = Files.readString(Paths.get("..", "docs", "attack-mapping.md"), StandardCharsets.UTF_8);
    String table = doc.substring(doc.indexOf("## Built-in table"), doc.indexOf("Technique names, for reference"));
    int rows = 0;
    List<String> failures = new ArrayList<>();
    for (String line : table.split("\n")) {
      if (!line.startsWith("| `") || line.startsWith("| operation")) {
        continue;
      }
      String[] cells = line.split("\\|");
      String operation = cells[1].trim().replace("`", "");
      String example = cells[3].trim().replace("`", "");
      List<String> expected =
          cells[4].trim().isEmpty()
              ? List.of()
              : Arrays.stream(cells[4].split(",")).map(String::trim).collect(Collectors.toList());
      List<String> actual = AttackTags.techniques(record(operation, example));
      if (!actual.equals(expected)) {
        failures.add(operation + " " + example + ": expected " + expected + " but was " + actual);
      }
      rows++;
    }
    assertThat(failures).isEmpty();
    assertThat(rows).isGreaterThanOrEqualTo(30);
  }

  private static CallRecord record(String operation, String example) throws Exception {
    String[] parts = operation.split("\\.");
    int op = OsApiOps.find(parts[0], parts[1]);
    assertThat(op).as(operation).isNotNegative();
    Map<String, String> facts = new HashMap<>();
    for (String kv : example.split(" ")) {
      int eq = kv.indexOf('=');
      facts.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    Object subject = null;
    Object detail = null;
    long value = 0;
    switch (OsApiOps.familyOf(op)) {
      case OsApiOps.FAMILY_PROCESS:
        subject = facts.containsKey("executable") ? new ProcessBuilder(facts.get("executable")) : null;
        value = facts.containsKey("status") ? Long.parseLong(facts.get("status")) : 0;
        break;
      case OsApiOps.FAMILY_FILE:
        subject = facts.get("path");
        detail = facts.get("target");
        String mode = facts.getOrDefault("mode", "read");
        value = mode.equals("write") ? OsApiOps.MODE_WRITE
            : mode.equals("append") ? OsApiOps.MODE_APPEND : OsApiOps.MODE_READ;
        break;
      case OsApiOps.FAMILY_NETWORK:
        subject = new InetSocketAddress(facts.getOrDefault("address", "127.0.0.1"),
            Integer.parseInt(facts.getOrDefault("port", "0")));
        value = Boolean.parseBoolean(facts.get("listen")) ? OsApiOps.NET_LISTEN : 0;
        break;
      default:
        String name = facts.get("name");
        subject = name == null || name.isEmpty() ? null : name;
        break;
    }
    CallFacts f = new CallFacts().reset(op, subject, detail, value, null);
    return new CallRecord(f, 1, 256, false, false);
  }
}
