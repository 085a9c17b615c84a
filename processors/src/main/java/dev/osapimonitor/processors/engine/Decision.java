package dev.osapimonitor.processors.engine;

/** What the engine did with a call the gate let through; the dimension of the decision counters. */
public enum Decision {
  /** Exported as a span (a flag, window or trigger covered it). */
  CAPTURED,
  /** Fired a trigger (and was exported as the trigger span). */
  TRIGGERED,
  /** Kept in the look-back buffer. */
  LOOKBACK,
  /** Dropped: nothing covers it and the look-back does not keep it. */
  UNFLAGGED,
  /** Dropped by an {@code ignore} rule (allow-list). */
  IGNORED,
  /** Would have been captured, but a rate limit or duplicate suppression held it back (counted per window). */
  SUPPRESSED,
  /** The agent's or the extension's own call: never recorded. */
  SELF;

  public String attributeValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
