package dev.osapimonitor.bootstrap;

/**
 * The policy side of the gate: decides whether an OS-API call is followed, and starts following it. Implemented by
 * the extension (in the agent's class loader) and installed with {@link OsApiGate#install}.
 */
public interface CallHandler {

  /**
   * Decides a call the interest mask let through. Returns {@code null} when the call is not followed (dropped, only
   * counted, or recorded for the look-back without needing its end); otherwise the call to end on exit.
   *
   * @param op one of {@link OsApiOps}' operations
   * @param subject the operation's main argument (a path, a {@code ProcessBuilder}, a socket address, ...)
   * @param detail a second argument, or {@code null}
   * @param value a numeric argument (open mode, transport, ...), or 0
   */
  OsApiCall onEnter(int op, Object subject, Object detail, long value);
}
