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

  /**
   * The operation this call contains, or -1. A container (a JNDI lookup, a deserialization, a script evaluation)
   * runs arbitrary code on the application's behalf, and the OS calls that code makes are what an analyst needs to
   * see (a gadget's {@code exec} inside {@code readObject}, Log4Shell's connect inside {@code lookup}): while a
   * container runs, the gate decides the calls inside it on their own, and only the same operation nested in it
   * (a {@code readObject} inside a custom {@code readObject}) is part of it. Any other followed call hides the OS
   * calls inside it (a process start's own {@code /dev/null} opens). Default: not a container.
   */
  public int containerOp() {
    return -1;
  }

  /** The container call this one runs inside, while it runs; kept by the gate. */
  OsApiCall outer;
}
