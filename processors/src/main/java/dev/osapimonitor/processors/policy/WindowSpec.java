package dev.osapimonitor.processors.policy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * A time window during which capture is on: recurring ({@code days} at {@code start} for {@code duration}) or one-off
 * ({@code from} to {@code until}), always in an explicit time zone so that daylight-saving changes do what the
 * operator expects (the local start time stays the same).
 */
public record WindowSpec(
    String name,
    String reason,
    ZoneId zone,
    Set<DayOfWeek> days,
    LocalTime start,
    Duration duration,
    LocalDateTime from,
    LocalDateTime until,
    Coverage coverage,
    int line) {

  public boolean recurring() {
    return days != null;
  }

  /** The start of the occurrence containing {@code t}, or {@code null} when the window is closed at {@code t}. */
  public Instant openedAt(Instant t) {
    if (!recurring()) {
      Instant begin = from.atZone(zone).toInstant();
      Instant end = until.atZone(zone).toInstant();
      return !t.isBefore(begin) && t.isBefore(end) ? begin : null;
    }
    LocalDate today = t.atZone(zone).toLocalDate();
    long spanDays = duration.toDays() + 1;
    for (long back = 0; back <= spanDays; back++) {
      LocalDate day = today.minusDays(back);
      if (!days.contains(day.getDayOfWeek())) {
        continue;
      }
      ZonedDateTime begin = ZonedDateTime.of(day, start, zone);
      Instant b = begin.toInstant();
      Instant e = begin.plus(duration).toInstant();
      if (!t.isBefore(b) && t.isBefore(e)) {
        return b;
      }
    }
    return null;
  }

  /** When the occurrence that contains {@code t} ends; {@code null} when closed at {@code t}. */
  public Instant closesAt(Instant t) {
    Instant opened = openedAt(t);
    if (opened == null) {
      return null;
    }
    if (!recurring()) {
      return until.atZone(zone).toInstant();
    }
    return opened.atZone(zone).plus(duration).toInstant();
  }
}
