package dev.osapimonitor.processors.policy;

/** Whom a triggered flag covers. */
public enum Scope {
  /** Every call of this JVM. */
  PROCESS,
  /** Calls in the same trace as the triggering call (its request); the whole process when there is none. */
  TRACE,
  /** Calls made for the same end user ({@code enduser.id} of the request); the whole process when unknown. */
  USER;

  public String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
