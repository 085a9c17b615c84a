package dev.osapimonitor.processors.match;

/** Finds the calling application frame of the current thread's OS-API call (a stack walk; only when needed). */
public interface CallerLocator {

  /** Returned when the call was made by the agent or the extension itself: such calls are never recorded. */
  Caller SELF = new Caller("<osapi-monitor>", "self", null, -1);

  /** The first application frame, {@link #SELF}, or {@code null} when there is none (a JDK-only stack). */
  default Caller locate() {
    return locate(null);
  }

  /**
   * Like {@link #locate()}, stepping over frames of {@code skip} and its superclasses too (the instrumented
   * library class itself, e.g. a script engine); {@code skip} may be {@code null}.
   */
  Caller locate(Class<?> skip);
}
