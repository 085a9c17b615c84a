package dev.osapimonitor.bootstrap;

/**
 * A call the policy decided to follow to its end (captured, or kept for the look-back). Created by the
 * {@link CallHandler} on entry, ended by the advice on exit with what the JDK method returned or threw.
 */
public abstract class OsApiCall {

  /**
   * Called once when the instrumented method returns or throws. Implementations must not throw (the gate swallows
   * anything that escapes anyway) and must not change {@code result} or {@code error}.
   *
   * @param result the object the method returned, or {@code null}
   * @param value a primitive result (e.g. a {@code boolean} as 0/1, an exit code), or 0
   * @param error what the method threw, or {@code null}
   */
  public abstract void end(Object result, long value, Throwable error);

  /**
   * Receives a detail observed while the call runs, from advice deeper in the same call (e.g. each class resolved
   * while an object is deserialized). Default: ignored. Must not throw.
   */
  public void annotate(Object detail) {}
}
