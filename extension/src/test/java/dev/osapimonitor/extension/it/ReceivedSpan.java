package dev.osapimonitor.extension.it;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One span as a receiver decoded it from OTLP, with its resource's attributes. */
public final class ReceivedSpan {

  private final Span span;
  private final Map<String, Object> attributes;
  private final Map<String, Object> resource;
  private final String scope;

  ReceivedSpan(Span span, Map<String, Object> resource, String scope) {
    this.span = span;
    this.attributes = toMap(span.getAttributesList());
    this.resource = resource;
    this.scope = scope;
  }

  static Map<String, Object> toMap(List<KeyValue> kvs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      m.put(kv.getKey(), value(kv.getValue()));
    }
    return m;
  }

  static Object value(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case INT_VALUE:
        return v.getIntValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case ARRAY_VALUE:
        List<Object> list = new ArrayList<>();
        for (AnyValue item : v.getArrayValue().getValuesList()) {
          list.add(value(item));
        }
        return list;
      default:
        return v.toString();
    }
  }

  public String name() {
    return span.getName();
  }

  public String traceId() {
    return HexFormat.of().formatHex(span.getTraceId().toByteArray());
  }

  public String spanId() {
    return HexFormat.of().formatHex(span.getSpanId().toByteArray());
  }

  /** Hex parent span id, or empty for a root. */
  public String parentSpanId() {
    return span.getParentSpanId().isEmpty() ? "" : HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
  }

  public Span.SpanKind kind() {
    return span.getKind();
  }

  public Map<String, Object> attributes() {
    return attributes;
  }

  public Object attribute(String key) {
    return attributes.get(key);
  }

  public String string(String key) {
    Object v = attributes.get(key);
    return v == null ? null : String.valueOf(v);
  }

  public Map<String, Object> resource() {
    return resource;
  }

  public String scope() {
    return scope;
  }

  public boolean isError() {
    return span.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR;
  }

  public String statusMessage() {
    return span.getStatus().getMessage();
  }

  public List<Span.Event> events() {
    return span.getEventsList();
  }

  public List<Span.Link> links() {
    return span.getLinksList();
  }

  public long startNanos() {
    return span.getStartTimeUnixNano();
  }

  public long endNanos() {
    return span.getEndTimeUnixNano();
  }

  /** Span ids (hex) this span links to. */
  public List<String> linkedSpanIds() {
    List<String> ids = new ArrayList<>();
    for (Span.Link link : span.getLinksList()) {
      ids.add(HexFormat.of().formatHex(link.getSpanId().toByteArray()));
    }
    return ids;
  }

  public Span raw() {
    return span;
  }

  @Override
  public String toString() {
    return name() + " " + spanId() + "<-" + parentSpanId() + " " + attributes;
  }
}
