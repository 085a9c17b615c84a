package dev.osapimonitor.processors.policy;

/** What a matching rule does with a call. */
public enum Action {
  /** Export the call as a span while a flag, window or trigger covers it; otherwise keep it for the look-back. */
  CAPTURE,
  /** Never record the call (allow-list a known-benign driver). */
  IGNORE,
  /** Raise a flag for a while, export this call and the look-back of what led to it. */
  TRIGGER;

  public String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
