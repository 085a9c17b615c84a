package dev.osapimonitor.exporter.file;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The {@code summary} command: reads OTLP-JSON capture files (one export request per line, as the file default
 * writes them) and prints what an analyst looks at first — the capture windows, the triggers and the traces they
 * opened (each call in order, look-back marked), the top processes, files and peers, and the audit trail.
 */
public final class CaptureSummary {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  /** One span as read from the file. */
  record Row(
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      long start,
      long end,
      boolean error,
      Map<String, Object> attributes,
      Map<String, Object> resource) {

    String attr(String key) {
      Object v = attributes.get(key);
      return v == null ? null : String.valueOf(v);
    }

    boolean api() {
      return attributes.containsKey("osapi.family");
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private int badLines;

  /** Prints the summary of the files. Exit code 0, or 1 when a file cannot be read. */
  public static int print(String[] files, PrintStream out, PrintStream err) {
    CaptureSummary summary = new CaptureSummary();
    int status = 0;
    for (String name : files) {
      try {
        summary.read(Paths.get(name));
      } catch (IOException | RuntimeException e) {
        err.println(name + ": cannot read: " + e.getMessage());
        status = 1;
      }
    }
    summary.render(String.join(", ", files), out);
    return status;
  }

  /** The spans read so far; visible for testing. */
  List<Row> rows() {
    return rows;
  }

  void read(Path file) throws IOException {
    Load load = new Load(LoadSettings.builder().setCodePointLimit(64 * 1024 * 1024).build());
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        Object doc;
        try {
          doc = load.loadFromString(line);
        } catch (RuntimeException e) {
          badLines++; // a line cut by a crash: skip it, keep the rest
          continue;
        }
        collect(doc);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void collect(Object doc) {
    if (!(doc instanceof Map)) {
      badLines++;
      return;
    }
    for (Object rs : list(((Map<String, Object>) doc).get("resourceSpans"))) {
      Map<String, Object> resourceSpans = (Map<String, Object>) rs;
      Map<String, Object> resource =
          attributes(((Map<String, Object>) resourceSpans.getOrDefault("resource", Map.of())).get("attributes"));
      for (Object ss : list(resourceSpans.get("scopeSpans"))) {
        for (Object s : list(((Map<String, Object>) ss).get("spans"))) {
          Map<String, Object> span = (Map<String, Object>) s;
          Map<String, Object> status = (Map<String, Object>) span.getOrDefault("status", Map.of());
          rows.add(
              new Row(
                  str(span.get("traceId")),
                  str(span.get("spanId")),
                  str(span.get("parentSpanId")),
                  str(span.get("name")),
                  num(span.get("startTimeUnixNano")),
                  num(span.get("endTimeUnixNano")),
                  "2".equals(str(status.get("code"))) || "STATUS_CODE_ERROR".equals(str(status.get("code"))),
                  attributes(span.get("attributes")),
                  resource));
        }
      }
    }
  }

  private static List<?> list(Object o) {
    return o instanceof List ? (List<?>) o : List.of();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> attributes(Object kvs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Object kv : list(kvs)) {
      Map<String, Object> m = (Map<String, Object>) kv;
      out.put(str(m.get("key")), value(m.get("value")));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object value(Object v) {
    if (!(v instanceof Map)) {
      return v;
    }
    Map<String, Object> m = (Map<String, Object>) v;
    if (m.containsKey("arrayValue")) {
      Map<String, Object> array = (Map<String, Object>) m.get("arrayValue");
      return list(array.get("values")).stream().map(CaptureSummary::value).collect(Collectors.toList());
    }
    for (String k : List.of("stringValue", "intValue", "boolValue", "doubleValue")) {
      if (m.containsKey(k)) {
        return m.get(k);
      }
    }
    return m.toString();
  }

  private static String str(Object o) {
    return o == null ? "" : String.valueOf(o);
  }

  private static long num(Object o) {
    try {
      return o == null ? 0 : Long.parseLong(String.valueOf(o));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ---------------------------------------------------------------- rendering

  void render(String source, PrintStream out) {
    List<Row> api = rows.stream().filter(Row::api).collect(Collectors.toList());
    long traces = rows.stream().map(Row::traceId).distinct().count();
    out.println("osapi-monitor capture summary: " + source);
    out.println(rows.size() + " spans in " + traces + " traces, " + api.size() + " OS-API calls"
        + (rows.isEmpty() ? "" : ", " + time(rows.stream().mapToLong(Row::start).filter(t -> t > 0).min().orElse(0))
            + " to " + time(rows.stream().mapToLong(Row::end).max().orElse(0)) + " UTC")
        + (badLines > 0 ? " (" + badLines + " unreadable line(s) skipped)" : ""));

    section(out, "Capture windows");
    Map<String, List<Row>> windows =
        api.stream()
            .filter(r -> r.attr("osapi.capture.window_id") != null)
            .collect(Collectors.groupingBy(r -> r.attr("osapi.capture.window_id"), TreeMap::new, Collectors.toList()));
    if (windows.isEmpty()) {
      out.println("  (none: nothing was captured)");
    } else {
      out.printf("  %-18s %-8s %-32s %7s %7s  %s%n", "WINDOW", "KIND", "REASON", "SPANS", "LOOKBK", "FIRST CALL (UTC)");
      windows.values().stream()
          .sorted(Comparator.comparingLong(l -> l.stream().mapToLong(Row::start).min().orElse(0)))
          .forEach(
              l -> {
                Row first = l.stream().min(Comparator.comparingLong(Row::start)).orElseThrow();
                long lookback = l.stream().filter(r -> "true".equals(r.attr("osapi.lookback"))).count();
                out.printf("  %-18s %-8s %-32s %7d %7d  %s%n", first.attr("osapi.capture.window_id"),
                    first.attr("osapi.capture.kind"), cut(first.attr("osapi.capture.reason"), 32), l.size(), lookback,
                    time(first.start()));
              });
    }

    section(out, "Triggers");
    List<Row> triggers =
        api.stream()
            .filter(r -> "trigger".equals(r.attr("osapi.capture.kind")) && r.attr("osapi.trigger.lookback_spans") != null)
            .sorted(Comparator.comparingLong(Row::start))
            .collect(Collectors.toList());
    if (triggers.isEmpty()) {
      out.println("  (none fired)");
    }
    Map<String, Row> byId = new HashMap<>();
    rows.forEach(r -> byId.put(r.spanId(), r));
    for (Row t : triggers) {
      out.printf("  %s  %-28s %s  techniques %s%n", time(t.start()), cut(t.attr("osapi.rule"), 28), describe(t),
          t.attributes().getOrDefault("threat.technique.id", "-"));
      Row root = rootOf(t, byId);
      out.printf("    trace %s, rooted at \"%s\"%s%n", t.traceId(), root.name(),
          root.resource().containsKey("service.name") ? " (service " + root.resource().get("service.name") + ")" : "");
      List<Row> trace =
          rows.stream()
              .filter(r -> r.traceId().equals(t.traceId()))
              .sorted(Comparator.comparingLong(Row::start))
              .collect(Collectors.toList());
      long base = trace.isEmpty() ? t.start() : trace.get(0).start();
      for (Row r : trace) {
        String mark = r.spanId().equals(t.spanId()) ? "TRIGGER " : "true".equals(r.attr("osapi.lookback")) ? "look-back " : "";
        out.printf("    +%8.3fs  %-26s %s%s%s%n", (r.start() - base) / 1e9, cut(r.name(), 26), mark,
            r.api() ? describe(r) : "", r.error() ? "  [error]" : "");
      }
    }

    top(out, "Top processes started", api, "process.exec", "process.command_line");
    top(out, "Top files", api, null, "file.path");
    top(out, "Top network peers", api, "network.", "server.address");

    section(out, "Audit events");
    List<Row> audits =
        rows.stream()
            .filter(r -> r.name().startsWith("osapi.audit "))
            .sorted(Comparator.comparingLong(Row::start))
            .collect(Collectors.toList());
    if (audits.isEmpty()) {
      out.println("  (none)");
    }
    for (Row a : audits) {
      out.printf("  %s  %-22s %s%n", time(a.start()), a.name().substring("osapi.audit ".length()), auditDetail(a));
    }
  }

  private static Row rootOf(Row span, Map<String, Row> byId) {
    Row current = span;
    for (int i = 0; i < 1000 && byId.containsKey(current.parentSpanId()); i++) {
      current = byId.get(current.parentSpanId());
    }
    return current;
  }

  private static String describe(Row r) {
    String family = r.attr("osapi.family");
    String subject;
    if ("process".equals(family)) {
      subject =
          r.attr("process.command_line") != null
              ? r.attr("process.command_line")
              : (r.attr("process.pid") != null ? "pid " + r.attr("process.pid") + " " : "")
                  + (r.attr("process.exit.code") != null ? "exit code " + r.attr("process.exit.code") : "");
    } else if ("file".equals(family)) {
      subject = r.attr("file.path") + (r.attr("osapi.file.mode") == null ? "" : " (" + r.attr("osapi.file.mode") + ")");
    } else if ("network".equals(family)) {
      subject = (r.attr("server.address") != null ? r.attr("server.address") : r.attr("network.peer.address")) + ":"
          + (r.attr("server.port") != null ? r.attr("server.port") : r.attr("network.local.port"));
    } else if ("native".equals(family)) {
      subject = r.attr("osapi.native.library");
    } else if ("jndi".equals(family)) {
      subject = r.attr("osapi.jndi.name");
    } else if ("env".equals(family)) {
      subject = r.attr("osapi.env.name");
    } else if ("dns".equals(family)) {
      subject = r.attr("dns.question.name");
    } else {
      subject = r.attr("osapi.deserialization.class") != null ? r.attr("osapi.deserialization.class")
          : r.attr("osapi.code.engine") != null ? r.attr("osapi.code.engine") : r.attr("osapi.code.class");
    }
    return cut(String.valueOf(subject), 90);
  }

  private static String auditDetail(Row a) {
    StringBuilder sb = new StringBuilder();
    for (String k : List.of("osapi.flag.name", "osapi.trigger.rule", "osapi.audit.actor", "osapi.audit.reason",
        "osapi.audit.ticket", "osapi.audit.error")) {
      String v = a.attr(k);
      if (v != null) {
        sb.append(k.substring(k.lastIndexOf('.') + 1)).append('=').append(cut(v, 80)).append("  ");
      }
    }
    return sb.toString().trim();
  }

  private static void top(PrintStream out, String title, List<Row> api, String namePrefix, String key) {
    section(out, title);
    Map<String, Long> counts =
        api.stream()
            .filter(r -> namePrefix == null || r.name().startsWith(namePrefix))
            .map(r -> r.attr(key))
            .filter(v -> v != null)
            .collect(Collectors.groupingBy(v -> v, Collectors.counting()));
    if (counts.isEmpty()) {
      out.println("  (none)");
      return;
    }
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(10)
        .forEach(e -> out.printf("  %6d  %s%n", e.getValue(), cut(e.getKey(), 110)));
  }

  private static void section(PrintStream out, String title) {
    out.println();
    out.println(title);
  }

  private static String time(long nanos) {
    return nanos <= 0 ? "-" : TIME.format(Instant.ofEpochSecond(0, nanos));
  }

  private static String cut(String s, int max) {
    if (s == null) {
      return "-";
    }
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
