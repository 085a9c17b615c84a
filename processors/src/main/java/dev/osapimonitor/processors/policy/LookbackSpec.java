package dev.osapimonitor.processors.policy;

import dev.osapimonitor.processors.match.CallMatcher;
import java.time.Duration;

/** Which calls are kept in memory while not capturing, and for how long / how many. */
public record LookbackSpec(boolean enabled, int maxRecords, Duration maxAge, long opMask, CallMatcher match) {

  public static final int DEFAULT_MAX_RECORDS = 10_000;
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(120);

  public static LookbackSpec disabled() {
    return new LookbackSpec(false, DEFAULT_MAX_RECORDS, DEFAULT_MAX_AGE, 0, null);
  }
}
