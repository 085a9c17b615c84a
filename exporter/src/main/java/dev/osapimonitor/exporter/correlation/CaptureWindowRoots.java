package dev.osapimonitor.exporter.correlation;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Groups the API spans that have no request span around them under one root span per capture window, so each window
 * reads as one trace in Jaeger or Tempo.
 *
 * <p>A root is a marker: it is started and ended when the window's first such span needs a parent, so it is exported
 * at once and never left open at shutdown or lost in a crash; its children arrive under it as they happen. A long
 * window rolls over to a new root (linked to the previous one, carrying the previous segment's span count) after
 * {@code maxDuration} or {@code maxSpans}, so no trace grows without bound. When the window closes, a summary span
 * {@code osapi.capture.end} with the final counts is added under the current root.
 */
public final class CaptureWindowRoots {

  /** Default roll-over bounds, also documented in {@code docs/policy.md} (settings.window_rollover). */
  public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(15);

  public static final int DEFAULT_MAX_SPANS = 5000;

  public static final String SUMMARY_SPAN_NAME = "osapi.capture.end";

  private final Tracer tracer;
  private final LongSupplier epochNanos;
  private volatile long maxDurationNanos;
  private volatile int maxSpans;
  private final Map<String, Root> roots = new ConcurrentHashMap<>();
  private volatile Context parent = Context.root();

  public CaptureWindowRoots(Tracer tracer, LongSupplier epochNanos, Duration maxDuration, int maxSpans) {
    if (maxSpans < 1) {
      throw new IllegalArgumentException("maxSpans must be positive");
    }
    if (maxDuration.isNegative() || maxDuration.isZero()) {
      throw new IllegalArgumentException("maxDuration must be positive");
    }
    this.tracer = tracer;
    this.epochNanos = epochNanos;
    this.maxDurationNanos = maxDuration.toNanos();
    this.maxSpans = maxSpans;
  }

  /**
   * Makes every root a child of {@code parent} instead of a trace of its own: a process started by a traced parent
   * joins the parent's trace.
   */
  public void setParent(Context parent) {
    this.parent = parent;
  }

  public void setBounds(Duration maxDuration, int maxSpans) {
    this.maxDurationNanos = maxDuration.toNanos();
    this.maxSpans = Math.max(1, maxSpans);
  }

  /**
   * The parent for a span without a request span: the window's current root, started (or rolled over) as needed.
   * Counts the span towards the roll-over bound.
   */
  public Context parentFor(CaptureWindow window) {
    Root root = roots.computeIfAbsent(window.id(), id -> new Root(window));
    return root.next(this);
  }

  /** The current root span context of a window, or an invalid context if it has none. */
  public SpanContext rootOf(String windowId) {
    Root root = roots.get(windowId);
    return root == null ? SpanContext.getInvalid() : root.currentContext();
  }

  /**
   * Closes a window: if it had a root, adds the {@code osapi.capture.end} summary under it with
   * {@code finalAttributes} (the counts). Does nothing for a window that never needed a root.
   */
  public void close(String windowId, Attributes finalAttributes) {
    Root root = roots.remove(windowId);
    if (root != null) {
      root.summarize(this, finalAttributes);
    }
  }

  /** Windows with a root; visible for testing. */
  public List<String> openWindows() {
    return new ArrayList<>(roots.keySet());
  }

  private static final class Root {
    private final CaptureWindow window;
    private SpanContext current = SpanContext.getInvalid();
    private long startedNanos;
    private int spans;
    private long sequence;

    Root(CaptureWindow window) {
      this.window = window;
    }

    synchronized Context next(CaptureWindowRoots owner) {
      long now = owner.epochNanos.getAsLong();
      if (!current.isValid()) {
        start(owner, null, 0, now);
      } else if (spans >= owner.maxSpans || now - startedNanos >= owner.maxDurationNanos) {
        start(owner, current, spans, now);
      }
      spans++;
      return Context.root().with(Span.wrap(current));
    }

    synchronized SpanContext currentContext() {
      return current;
    }

    private void start(CaptureWindowRoots owner, SpanContext previous, int previousSpans, long now) {
      sequence++;
      SpanBuilder builder =
          owner
              .tracer
              .spanBuilder(CaptureAttributes.ROOT_SPAN_PREFIX + window.reason())
              .setParent(owner.parent)
              .setSpanKind(SpanKind.INTERNAL)
              .setStartTimestamp(now, TimeUnit.NANOSECONDS)
              .setAllAttributes(window.attributes())
              .setAttribute(CaptureAttributes.CAPTURE_REASON, window.reason())
              .setAttribute(CaptureAttributes.CAPTURE_KIND, window.kind())
              .setAttribute(CaptureAttributes.CAPTURE_WINDOW_ID, window.id())
              .setAttribute(CaptureAttributes.CAPTURE_SEQUENCE, sequence);
      if (previous != null) {
        builder.addLink(
            previous,
            Attributes.of(
                CaptureAttributes.CAPTURE_SEQUENCE, sequence - 1,
                CaptureAttributes.CAPTURE_SPANS, (long) previousSpans));
        builder.setAttribute(CaptureAttributes.CAPTURE_ROLLED_OVER, true);
      }
      long dropped = dev.osapimonitor.exporter.spool.SpoolStats.takeDroppedSinceLastReport();
      if (dropped > 0) {
        // Spans lost while the backend was away and the spool was full: the next window says so.
        builder.setAttribute(CaptureAttributes.SPOOL_DROPPED, dropped);
      }
      Span span = builder.startSpan();
      span.end(now, TimeUnit.NANOSECONDS);
      current = span.getSpanContext();
      startedNanos = now;
      spans = 0;
    }

    synchronized void summarize(CaptureWindowRoots owner, Attributes finalAttributes) {
      if (!current.isValid()) {
        return;
      }
      long now = owner.epochNanos.getAsLong();
      Span summary =
          owner
              .tracer
              .spanBuilder(SUMMARY_SPAN_NAME)
              .setParent(Context.root().with(Span.wrap(current)))
              .setSpanKind(SpanKind.INTERNAL)
              .setStartTimestamp(now, TimeUnit.NANOSECONDS)
              .setAllAttributes(finalAttributes)
              .setAttribute(CaptureAttributes.CAPTURE_WINDOW_ID, window.id())
              .setAttribute(CaptureAttributes.CAPTURE_REASON, window.reason())
              .setAttribute(CaptureAttributes.CAPTURE_SEQUENCE, sequence)
              .startSpan();
      summary.end(now, TimeUnit.NANOSECONDS);
    }
  }
}
