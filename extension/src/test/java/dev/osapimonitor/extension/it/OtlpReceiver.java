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

  /**
   * A refusal for the n-th export request (1-based), or {@code null} to take it: lets a test play a backend that is
   * down, overloaded or slow. Set by the test; read by the server threads.
   */
  public interface Fault {
    Refusal refuse(int request);
  }

  /**
   * How to refuse: an HTTP status (gRPC receivers map 429/503 to RESOURCE_EXHAUSTED/UNAVAILABLE), an optional
   * Retry-After in seconds, and a delay before answering.
   */
  public record Refusal(int httpStatus, int retryAfterSeconds, long delayMillis) {
    public static Refusal status(int httpStatus) {
      return new Refusal(httpStatus, -1, 0);
    }

    public static Refusal delay(long millis) {
      return new Refusal(0, -1, millis);
    }
  }

  volatile Fault fault;
  final AtomicInteger attempts = new AtomicInteger();
  final AtomicInteger refused = new AtomicInteger();
  private volatile long lastAcceptedNanos;
  private volatile long lastRefusedNanos;

  /** When the last request was refused ({@link System#nanoTime()}), 0 if none was. */
  public long lastRefusedNanos() {
    return lastRefusedNanos;
  }

  public void setFault(Fault fault) {
    this.fault = fault;
  }

  /** Export requests that were refused. */
  public int refusedCount() {
    return refused.get();
  }

  /** When the last span was taken ({@link System#nanoTime()}). */
  public long lastAcceptedNanos() {
    return lastAcceptedNanos;
  }

  /** Applies the fault for the next request: the refusal to answer with, or null after any delay. */
  Refusal nextRefusal() {
    int n = attempts.incrementAndGet();
    if (Boolean.getBoolean("osapi.it.debug")) {
      System.out.println("REQUEST " + n + " at " + System.currentTimeMillis() % 100000);
    }
    Fault f = fault;
    Refusal r = f == null ? null : f.refuse(n);
    if (r == null) {
      return null;
    }
    if (r.delayMillis() > 0) {
      try {
        Thread.sleep(r.delayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (r.httpStatus() == 0) {
      return null; // only slow
    }
    refused.incrementAndGet();
    lastRefusedNanos = System.nanoTime();
    return r;
  }

  private final List<ReceivedSpan> spans = new ArrayList<>();
  private final List<byte[]> rawRequests = new ArrayList<>();
  final AtomicInteger requests = new AtomicInteger();

  /** The endpoint to give the agent ({@code otel.exporter.otlp.endpoint}). */
  public abstract String endpoint();

  /** {@code grpc} or {@code http/protobuf}. */
  public abstract String protocol();

  synchronized void accept(byte[] body) throws Exception {
    requests.incrementAndGet();
    lastAcceptedNanos = System.nanoTime();
    rawRequests.add(body);
    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
    if (Boolean.getBoolean("osapi.it.debug")) {
      int n = 0;
      for (ResourceSpans rs : request.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          n += ss.getSpansCount();
        }
      }
      System.out.println("ACCEPTED " + n + " spans, " + body.length + " bytes at " + System.currentTimeMillis() % 100000);
    }
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
