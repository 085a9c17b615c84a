package dev.osapimonitor.extension.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A trace as Jaeger's query API returns it: spans with references and tags, processes with tags. */
public final class JaegerTrace {

  public final String traceId;
  public final List<JSpan> spans = new ArrayList<>();

  public record JSpan(
      String spanId,
      String operation,
      String parentSpanId,
      List<String> followsFrom,
      Map<String, Object> tags,
      Map<String, Object> process,
      long startTime) {

    public String tag(String key) {
      Object v = tags.get(key);
      return v == null ? null : String.valueOf(v);
    }
  }

  @SuppressWarnings("unchecked")
  JaegerTrace(Map<String, Object> json) {
    traceId = String.valueOf(json.get("traceID"));
    Map<String, Object> processes = (Map<String, Object>) json.getOrDefault("processes", Map.of());
    for (Object o : (List<Object>) json.get("spans")) {
      Map<String, Object> s = (Map<String, Object>) o;
      String parent = "";
      List<String> follows = new ArrayList<>();
      for (Object r : (List<Object>) s.getOrDefault("references", List.of())) {
        Map<String, Object> ref = (Map<String, Object>) r;
        if ("CHILD_OF".equals(ref.get("refType")) && String.valueOf(ref.get("traceID")).equals(traceId)) {
          parent = String.valueOf(ref.get("spanID"));
        } else {
          follows.add(String.valueOf(ref.get("spanID")));
        }
      }
      Map<String, Object> process = (Map<String, Object>) processes.getOrDefault(s.get("processID"), Map.of());
      spans.add(new JSpan(String.valueOf(s.get("spanID")), String.valueOf(s.get("operationName")), parent, follows,
          tags((List<Object>) s.getOrDefault("tags", List.of())),
          tags((List<Object>) process.getOrDefault("tags", List.of())),
          ((Number) s.getOrDefault("startTime", 0L)).longValue()));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> tags(List<Object> list) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Object o : list) {
      Map<String, Object> t = (Map<String, Object>) o;
      m.put(String.valueOf(t.get("key")), t.get("value"));
    }
    return m;
  }

  public List<JSpan> named(String operation) {
    return spans.stream().filter(s -> s.operation().equals(operation)).collect(Collectors.toList());
  }

  public JSpan byId(String id) {
    return spans.stream().filter(s -> s.spanId().equals(id)).findFirst().orElse(null);
  }
}
