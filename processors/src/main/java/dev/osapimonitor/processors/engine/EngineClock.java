package dev.osapimonitor.processors.engine;

import java.time.Instant;

/**
 * The time the policy decides by (windows, expiry). Normally the system clock; a test can start it at a chosen
 * instant ({@code otel.instrumentation.osapi.testing.clock}) from which it then advances in real time, so that a
 * Saturday-night maintenance window can be tested on a Tuesday without waiting. Span timestamps always use real
 * time.
 */
public final class EngineClock {

  private final long offsetMillis;

  private EngineClock(long offsetMillis) {
    this.offsetMillis = offsetMillis;
  }

  public static EngineClock system() {
    return new EngineClock(0);
  }

  /** A clock that reads {@code start} now and advances with real time. */
  public static EngineClock startingAt(Instant start) {
    return new EngineClock(start.toEpochMilli() - System.currentTimeMillis());
  }

  public Instant now() {
    return Instant.ofEpochMilli(System.currentTimeMillis() + offsetMillis);
  }

  public long millis() {
    return System.currentTimeMillis() + offsetMillis;
  }

  public boolean isShifted() {
    return offsetMillis != 0;
  }

  /** Real wall-clock time in epoch nanoseconds (microsecond precision), for span timestamps. */
  public static long realEpochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public String toString() {
    return offsetMillis == 0 ? "system" : "shifted(" + offsetMillis + "ms)";
  }
}
