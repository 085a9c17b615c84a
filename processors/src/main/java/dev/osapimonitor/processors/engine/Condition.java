package dev.osapimonitor.processors.engine;

import dev.osapimonitor.exporter.correlation.CaptureAttributes;
import dev.osapimonitor.exporter.correlation.CaptureWindow;
import dev.osapimonitor.processors.policy.Scope;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One active reason to capture: a raised flag, an open time window, or a fired trigger. Immutable apart from its
 * counters. Each activation has its own capture-window id, exported on every span it captured.
 */
public final class Condition {

  public enum Kind {
    FLAG,
    WINDOW,
    TRIGGER;

    public String attributeValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final String name;
  private final Kind kind;
  private final String source;
  private final String reason;
  private final String owner;
  private final String ticket;
  private final long opMask;
  private final Scope scope;
  private final String scopeKey;
  private final Instant start;
  private final Instant expires;
  private final String windowId;
  private final String rule;
  private final CaptureWindow window;
  /** Spans captured under this condition; guarded by this (see {@link #claim()}). */
  private long captured;
  final LongAdder suppressed = new LongAdder();
  final AtomicLong lookbackExported = new AtomicLong();
  /** Set once the condition has ended (lowered, expired, closed, renewed); guarded by this. */
  private boolean ended;

  /**
   * @param name the flag, window or trigger-flag name
   * @param source where it came from: {@code policy}, {@code file:<path>}, {@code jmx}, {@code trigger}
   * @param scopeKey the trace id (TRACE scope) or end user (USER scope); {@code null} for PROCESS
   * @param expires {@code null} for never
   * @param rule the trigger rule, or {@code null}
   */
  public Condition(
      String name,
      Kind kind,
      String source,
      String reason,
      String owner,
      String ticket,
      long opMask,
      Scope scope,
      String scopeKey,
      Instant start,
      Instant expires,
      String rule) {
    this.name = name;
    this.kind = kind;
    this.source = source;
    this.reason = reason == null ? "" : reason;
    this.owner = owner == null ? "" : owner;
    this.ticket = ticket == null ? "" : ticket;
    this.opMask = opMask;
    this.scope = scope;
    this.scopeKey = scopeKey;
    this.start = start;
    this.expires = expires;
    this.rule = rule;
    this.windowId = newWindowId();
    AttributesBuilder attributes = Attributes.builder();
    if (!this.owner.isEmpty()) {
      attributes.put(CaptureAttributes.CAPTURE_OWNER, this.owner);
    }
    if (!this.ticket.isEmpty()) {
      attributes.put(CaptureAttributes.CAPTURE_TICKET, this.ticket);
    }
    if (rule != null) {
      attributes.put(CaptureAttributes.TRIGGER_RULE, rule);
    }
    this.window = new CaptureWindow(windowId, name, kind.attributeValue(), attributes.build());
  }

  private static String newWindowId() {
    long random = ThreadLocalRandom.current().nextLong();
    String hex = Long.toHexString(random);
    return "0000000000000000".substring(hex.length()) + hex;
  }

  /** A stable key: flags and windows are unique by name; a trigger's flag also by its scope key. */
  public String key() {
    return scopeKey == null ? kind + ":" + name : kind + ":" + name + "#" + scopeKey;
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  public String source() {
    return source;
  }

  public String reason() {
    return reason;
  }

  public String owner() {
    return owner;
  }

  public String ticket() {
    return ticket;
  }

  public long opMask() {
    return opMask;
  }

  public Scope scope() {
    return scope;
  }

  public String scopeKey() {
    return scopeKey;
  }

  public Instant start() {
    return start;
  }

  public Instant expires() {
    return expires;
  }

  public String windowId() {
    return windowId;
  }

  public String rule() {
    return rule;
  }

  public CaptureWindow window() {
    return window;
  }

  public synchronized long capturedCount() {
    return captured;
  }

  /**
   * Counts a call about to be captured under this condition, unless the condition has ended meanwhile (it was found
   * active a few microseconds earlier, on another thread than the one ending it). Together with {@link #end()} this
   * makes the span count reported when a condition ends equal to the spans exported under it.
   */
  synchronized boolean claim() {
    if (ended) {
      return false;
    }
    captured++;
    return true;
  }

  /** Ends the condition for {@link #claim()} and returns the final number of spans captured under it. */
  synchronized long end() {
    ended = true;
    return captured;
  }

  public long suppressedCount() {
    return suppressed.sum();
  }

  public boolean coversOp(int op) {
    return (opMask & (1L << op)) != 0;
  }

  public boolean expiredAt(Instant now) {
    return expires != null && !now.isBefore(expires);
  }

  @Override
  public String toString() {
    return kind.attributeValue()
        + " "
        + name
        + " ("
        + source
        + (scopeKey == null ? "" : ", " + scope.yamlName() + "=" + scopeKey)
        + ", until "
        + (expires == null ? "never" : expires.toString())
        + ", window "
        + windowId
        + ")";
  }
}
