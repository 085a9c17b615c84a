package dev.osapimonitor.processors.engine;

import dev.osapimonitor.exporter.correlation.CaptureAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Audit events: every policy load, reload and rejection, every flag raise, lowering and expiry, every window
 * opening and closing, every trigger firing. Each is a root span {@code osapi.audit <event>} exported through the
 * same pipeline as the API spans, whether or not anything is being captured, and a line in the application's log.
 * Events before the SDK is ready are held (at most {@value #MAX_PENDING}) and sent when it is.
 */
public final class AuditLog {

  public static final AttributeKey<String> ACTOR = AttributeKey.stringKey("osapi.audit.actor");
  public static final AttributeKey<String> REASON = AttributeKey.stringKey("osapi.audit.reason");
  public static final AttributeKey<String> TICKET = AttributeKey.stringKey("osapi.audit.ticket");
  public static final AttributeKey<String> CHANGE = AttributeKey.stringKey("osapi.audit.change");
  public static final AttributeKey<String> FLAG = AttributeKey.stringKey("osapi.flag.name");
  public static final AttributeKey<String> FLAG_EXPIRES = AttributeKey.stringKey("osapi.flag.expires");
  public static final AttributeKey<String> FLAG_SOURCE = AttributeKey.stringKey("osapi.flag.source");
  public static final AttributeKey<String> FLAG_SCOPE = AttributeKey.stringKey("osapi.flag.scope");
  public static final AttributeKey<String> POLICY_SOURCE = AttributeKey.stringKey("osapi.policy.source");
  public static final AttributeKey<String> PREVIOUS_SHA256 = AttributeKey.stringKey("osapi.policy.previous_sha256");
  public static final AttributeKey<String> ERROR = AttributeKey.stringKey("osapi.audit.error");

  static final int MAX_PENDING = 1000;

  private static final Logger logger = Logger.getLogger("dev.osapimonitor.audit");

  private final Supplier<String> policyHash;
  private volatile Tracer tracer;
  private final List<Object[]> pending = new ArrayList<>();
  private long dropped;

  public AuditLog(Supplier<String> policyHash) {
    this.policyHash = policyHash;
  }

  /** Starts exporting; sends what was held. */
  public void setTracer(Tracer tracer) {
    List<Object[]> held;
    synchronized (pending) {
      this.tracer = tracer;
      held = new ArrayList<>(pending);
      pending.clear();
    }
    for (Object[] e : held) {
      export((String) e[0], (Attributes) e[1], (Boolean) e[2], (Long) e[3]);
    }
  }

  /**
   * Records an event.
   *
   * @param summary one line for the application's log
   * @param problem true for rejections and refusals (logged as warnings, span status error)
   */
  /** Longest text attribute of an audit event. */
  static final int MAX_TEXT = 1024;

  public void emit(String event, Attributes attributes, String summary, boolean problem) {
    // Reasons, tickets and error messages come from flag files, JMX callers and policy files: bounded and sanitised
    // like any other attribute before they reach the log or a span.
    AttributesBuilder b = Attributes.builder();
    attributes.forEach((key, value) -> {
      if (value instanceof String) {
        @SuppressWarnings("unchecked")
        io.opentelemetry.api.common.AttributeKey<String> k = (io.opentelemetry.api.common.AttributeKey<String>) key;
        b.put(k, Bounds.text((String) value, MAX_TEXT));
      } else {
        @SuppressWarnings("unchecked")
        io.opentelemetry.api.common.AttributeKey<Object> k = (io.opentelemetry.api.common.AttributeKey<Object>) key;
        b.put(k, value);
      }
    });
    b.put(CaptureAttributes.AUDIT_EVENT, event);
    summary = Bounds.text(summary, 2 * MAX_TEXT);
    String hash = policyHash.get();
    if (hash != null && !hash.isEmpty() && attributes.get(CaptureAttributes.POLICY_SHA256) == null) {
      b.put(CaptureAttributes.POLICY_SHA256, hash);
    }
    Attributes all = b.build();
    logger.log(problem ? Level.WARNING : Level.INFO, "osapi-monitor audit: {0}: {1}", new Object[] {event, summary});
    long now = EngineClock.realEpochNanos();
    synchronized (pending) {
      if (tracer == null) {
        if (pending.size() < MAX_PENDING) {
          pending.add(new Object[] {event, all, problem, now});
        } else {
          dropped++;
        }
        return;
      }
    }
    export(event, all, problem, now);
  }

  private void export(String event, Attributes attributes, boolean problem, long epochNanos) {
    Span span =
        tracer
            .spanBuilder(CaptureAttributes.AUDIT_SPAN_PREFIX + event)
            .setNoParent()
            .setSpanKind(SpanKind.INTERNAL)
            .setStartTimestamp(epochNanos, java.util.concurrent.TimeUnit.NANOSECONDS)
            .setAllAttributes(attributes)
            .startSpan();
    if (problem) {
      String error = attributes.get(ERROR);
      span.setStatus(StatusCode.ERROR, error == null ? event : error);
    }
    span.end(epochNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Events that could not be held before the SDK was ready. */
  public long dropped() {
    synchronized (pending) {
      return dropped;
    }
  }
}
