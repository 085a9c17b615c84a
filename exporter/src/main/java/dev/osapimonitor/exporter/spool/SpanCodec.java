package dev.osapimonitor.exporter.spool;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * How a batch of spans is stored in the spool: the OTLP protobuf request the SDK's own marshaler writes, in a frame
 * that makes each record self-checking and findable without the queue's bookkeeping — so that a damaged spool file
 * can be scanned for intact records (see {@link SpanSpool}).
 *
 * <p>Frame: magic {@code "OSPL"} (4 bytes), payload length (int), CRC-32 of the payload (int), span count (int),
 * payload.
 */
public final class SpanCodec {

  static final int MAGIC = 0x4F53504C; // "OSPL"
  static final int HEADER = 16;
  /** Largest payload accepted when reading (a corrupt length must not make us allocate gigabytes). */
  static final int MAX_PAYLOAD = 64 * 1024 * 1024;

  private SpanCodec() {}

  /** Encodes a batch as one frame. */
  public static byte[] encode(Collection<SpanData> spans) throws IOException {
    ByteArrayOutputStream payload = new ByteArrayOutputStream(256 * Math.max(1, spans.size()));
    TraceRequestMarshaler.create(spans).writeBinaryTo(payload);
    byte[] body = payload.toByteArray();
    CRC32 crc = new CRC32();
    crc.update(body);
    ByteBuffer frame = ByteBuffer.allocate(HEADER + body.length);
    frame.putInt(MAGIC).putInt(body.length).putInt((int) crc.getValue()).putInt(spans.size()).put(body);
    return frame.array();
  }

  /** The number of spans a frame holds, without decoding it; -1 when it is not a valid frame. */
  static int spanCount(byte[] frame) {
    return valid(frame, 0, frame.length) ? ByteBuffer.wrap(frame).getInt(12) : -1;
  }

  /** True when {@code length} bytes at {@code offset} are exactly one intact frame. */
  static boolean valid(byte[] bytes, int offset, int length) {
    if (length < HEADER) {
      return false;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, offset, length);
    if (b.getInt() != MAGIC) {
      return false;
    }
    int size = b.getInt();
    int checksum = b.getInt();
    if (size < 0 || size > MAX_PAYLOAD || HEADER + size != length) {
      return false;
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, offset + HEADER, size);
    return (int) crc.getValue() == checksum;
  }

  /** Decodes a frame back into spans. */
  public static List<SpanData> decode(byte[] frame) throws IOException {
    if (!valid(frame, 0, frame.length)) {
      throw new IOException("not an intact spool record (bad magic, length or checksum)");
    }
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.parseFrom(ByteBuffer.wrap(frame, HEADER, frame.length - HEADER));
    List<SpanData> spans = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Resource resource = Resource.create(attributes(rs.getResource().getAttributesList()), emptyToNull(rs.getSchemaUrl()));
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        InstrumentationScope scope = ss.getScope();
        InstrumentationScopeInfo scopeInfo =
            InstrumentationScopeInfo.builder(scope.getName())
                .setVersion(emptyToNull(scope.getVersion()))
                .setSchemaUrl(emptyToNull(ss.getSchemaUrl()))
                .setAttributes(attributes(scope.getAttributesList()))
                .build();
        for (Span span : ss.getSpansList()) {
          spans.add(span(span, scopeInfo, resource));
        }
      }
    }
    return spans;
  }

  private static SpanData span(Span s, InstrumentationScopeInfo scope, Resource resource) {
    TraceFlags flags = flags(s.getFlags());
    TraceState state = traceState(s.getTraceState());
    String traceId = hex(s.getTraceId());
    SpanContext context = SpanContext.create(traceId, hex(s.getSpanId()), flags, state);
    SpanContext parent =
        s.getParentSpanId().isEmpty()
            ? SpanContext.getInvalid()
            : SpanContext.create(traceId, hex(s.getParentSpanId()), flags, state);
    List<EventData> events = new ArrayList<>(s.getEventsCount());
    for (Span.Event e : s.getEventsList()) {
      Attributes a = attributes(e.getAttributesList());
      events.add(EventData.create(e.getTimeUnixNano(), e.getName(), a, a.size() + e.getDroppedAttributesCount()));
    }
    List<LinkData> links = new ArrayList<>(s.getLinksCount());
    for (Span.Link l : s.getLinksList()) {
      Attributes a = attributes(l.getAttributesList());
      SpanContext linked =
          SpanContext.create(hex(l.getTraceId()), hex(l.getSpanId()), flags(l.getFlags()), traceState(l.getTraceState()));
      links.add(LinkData.create(linked, a, a.size() + l.getDroppedAttributesCount()));
    }
    Attributes attributes = attributes(s.getAttributesList());
    return new SpooledSpanData(
        s.getName(),
        kind(s.getKind()),
        context,
        parent,
        StatusData.create(status(s.getStatus().getCode()), s.getStatus().getMessage()),
        s.getStartTimeUnixNano(),
        attributes,
        events,
        links,
        s.getEndTimeUnixNano(),
        events.size() + s.getDroppedEventsCount(),
        links.size() + s.getDroppedLinksCount(),
        attributes.size() + s.getDroppedAttributesCount(),
        scope,
        resource);
  }

  private static TraceFlags flags(int flags) {
    // Exported spans were sampled; a writer that leaves the field empty means the same.
    int traceFlags = flags & 0xFF;
    return traceFlags == 0 ? TraceFlags.getSampled() : TraceFlags.fromByte((byte) traceFlags);
  }

  private static TraceState traceState(String text) {
    if (text == null || text.isEmpty()) {
      return TraceState.getDefault();
    }
    TraceStateBuilder builder = TraceState.builder();
    for (String member : text.split(",")) {
      int eq = member.indexOf('=');
      if (eq > 0) {
        builder.put(member.substring(0, eq).trim(), member.substring(eq + 1).trim());
      }
    }
    return builder.build();
  }

  private static SpanKind kind(Span.SpanKind kind) {
    switch (kind) {
      case SPAN_KIND_SERVER:
        return SpanKind.SERVER;
      case SPAN_KIND_CLIENT:
        return SpanKind.CLIENT;
      case SPAN_KIND_PRODUCER:
        return SpanKind.PRODUCER;
      case SPAN_KIND_CONSUMER:
        return SpanKind.CONSUMER;
      default:
        return SpanKind.INTERNAL;
    }
  }

  private static StatusCode status(io.opentelemetry.proto.trace.v1.Status.StatusCode code) {
    switch (code) {
      case STATUS_CODE_OK:
        return StatusCode.OK;
      case STATUS_CODE_ERROR:
        return StatusCode.ERROR;
      default:
        return StatusCode.UNSET;
    }
  }

  static Attributes attributes(List<KeyValue> kvs) {
    AttributesBuilder b = Attributes.builder();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      String key = kv.getKey();
      switch (v.getValueCase()) {
        case STRING_VALUE:
          b.put(AttributeKey.stringKey(key), v.getStringValue());
          break;
        case BOOL_VALUE:
          b.put(AttributeKey.booleanKey(key), v.getBoolValue());
          break;
        case INT_VALUE:
          b.put(AttributeKey.longKey(key), v.getIntValue());
          break;
        case DOUBLE_VALUE:
          b.put(AttributeKey.doubleKey(key), v.getDoubleValue());
          break;
        case ARRAY_VALUE:
          putArray(b, key, v.getArrayValue().getValuesList());
          break;
        case BYTES_VALUE:
          b.put(AttributeKey.stringKey(key), HexFormat.of().formatHex(v.getBytesValue().toByteArray()));
          break;
        default:
          b.put(AttributeKey.stringKey(key), v.toString());
          break;
      }
    }
    return b.build();
  }

  private static void putArray(AttributesBuilder b, String key, List<AnyValue> values) {
    if (values.isEmpty()) {
      b.put(AttributeKey.stringArrayKey(key), List.of());
      return;
    }
    switch (values.get(0).getValueCase()) {
      case BOOL_VALUE:
        List<Boolean> bools = new ArrayList<>();
        values.forEach(x -> bools.add(x.getBoolValue()));
        b.put(AttributeKey.booleanArrayKey(key), bools);
        break;
      case INT_VALUE:
        List<Long> longs = new ArrayList<>();
        values.forEach(x -> longs.add(x.getIntValue()));
        b.put(AttributeKey.longArrayKey(key), longs);
        break;
      case DOUBLE_VALUE:
        List<Double> doubles = new ArrayList<>();
        values.forEach(x -> doubles.add(x.getDoubleValue()));
        b.put(AttributeKey.doubleArrayKey(key), doubles);
        break;
      default:
        List<String> strings = new ArrayList<>();
        values.forEach(x -> strings.add(x.getStringValue()));
        b.put(AttributeKey.stringArrayKey(key), strings);
        break;
    }
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
