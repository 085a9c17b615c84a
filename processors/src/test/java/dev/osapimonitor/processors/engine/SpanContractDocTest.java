package dev.osapimonitor.processors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.bootstrap.OsApiOps;
import dev.osapimonitor.exporter.correlation.CaptureAttributes;
import dev.osapimonitor.exporter.correlation.CaptureWindowRoots;
import io.opentelemetry.api.common.AttributeKey;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/span-contract.md names every attribute key the span-producing classes declare, and every span name. */
class SpanContractDocTest {

  private static final Path DOC = Paths.get("..", "docs", "span-contract.md");

  private static String doc() throws Exception {
    return Files.readString(DOC, StandardCharsets.UTF_8);
  }

  /** The names of the {@code static final AttributeKey} fields of a class, private and package-private included. */
  private static Set<String> keyNames(Class<?> type) throws IllegalAccessException {
    Set<String> names = new TreeSet<>();
    for (Field field : type.getDeclaredFields()) {
      int modifiers = field.getModifiers();
      if (Modifier.isStatic(modifiers)
          && Modifier.isFinal(modifiers)
          && AttributeKey.class.isAssignableFrom(field.getType())) {
        field.setAccessible(true);
        names.add(((AttributeKey<?>) field.get(null)).getKey());
      }
    }
    return names;
  }

  @Test
  void everyAttributeKeyIsDocumented() throws Exception {
    String doc = doc();
    List<String> missing = new ArrayList<>();
    int keys = 0;
    for (Class<?> type :
        List.of(SpanContract.class, CaptureAttributes.class, AuditLog.class, DryRunReport.class)) {
      Set<String> names = keyNames(type);
      assertThat(names).as(type.getSimpleName() + " declares attribute keys").isNotEmpty();
      for (String name : names) {
        keys++;
        if (!doc.contains("`" + name + "`")) {
          missing.add(type.getSimpleName() + ": " + name);
        }
      }
    }
    assertThat(missing).as("attribute keys missing from " + DOC).isEmpty();
    assertThat(keys).isGreaterThanOrEqualTo(80);
  }

  @Test
  void everySpanNameIsDocumented() throws Exception {
    String doc = doc();
    List<String> missing = new ArrayList<>();
    for (int op = 0; op < OsApiOps.OP_COUNT; op++) {
      if (!doc.contains("| `" + OsApiOps.spanName(op) + "` |")) {
        missing.add(OsApiOps.spanName(op));
      }
    }
    for (String name :
        List.of(
            CaptureAttributes.ROOT_SPAN_PREFIX + "<reason>",
            CaptureAttributes.AUDIT_SPAN_PREFIX + "<event>",
            CaptureWindowRoots.SUMMARY_SPAN_NAME)) {
      if (!doc.contains("`" + name + "`")) {
        missing.add(name);
      }
    }
    assertThat(missing).as("span names missing from " + DOC).isEmpty();
  }
}
