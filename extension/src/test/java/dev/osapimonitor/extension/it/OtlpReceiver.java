package dev.osapimonitor.extension.it;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** An in-test OTLP trace receiver that decodes every request and keeps the spans (and the raw bytes). */
public abstract class OtlpReceiver implements AutoCloseable {

  private final List<ReceivedSpan> spans = new ArrayList<>();
  private final List<byte[]> rawRequests = new ArrayList<>();
  final AtomicInteger requests = new AtomicInteger();

  /** The endpoint to give the agent ({@code otel.exporter.otlp.endpoint}). */
  public abstract String endpoint();

  /** {@code grpc} or {@code http/protobuf}. */
  public abstract String protocol();

  synchronized void accept(byte[] body) throws Exception {
    requests.incrementAndGet();
    rawRequests.add(body);
    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<String, Object> resource = ReceivedSpan.toMap(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        InstrumentationScope scope = ss.getScope();
        for (Span s : ss.getSpansList()) {
          spans.add(new ReceivedSpan(s, resource, scope.getName()));
        }
      }
    }
  }

  public synchronized List<ReceivedSpan> spans() {
    return new ArrayList<>(spans);
  }

  /** All exported bytes, for "this secret appears nowhere" checks. */
  public synchronized List<byte[]> rawRequests() {
    return new ArrayList<>(rawRequests);
  }

  public int requestCount() {
    return requests.get();
  }

  public List<ReceivedSpan> spans(Predicate<ReceivedSpan> filter) {
    return spans().stream().filter(filter).collect(Collectors.toList());
  }

  /** API-call spans only (those carrying {@code osapi.family}). */
  public List<ReceivedSpan> apiSpans() {
    return spans(s -> s.attributes().containsKey("osapi.family"));
  }

  public List<ReceivedSpan> named(String name) {
    return spans(s -> s.name().equals(name));
  }

  public synchronized void clear() {
    spans.clear();
    rawRequests.clear();
  }

  @Override
  public abstract void close();
}
