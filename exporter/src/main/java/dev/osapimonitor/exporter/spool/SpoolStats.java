package dev.osapimonitor.exporter.spool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The spool's counters, process-wide, read by the metrics and by the capture-window roots (a window that starts
 * after spans were dropped carries {@code osapi.spool.dropped}), plus problems to be turned into audit events.
 */
public final class SpoolStats {

  static final AtomicLong spooledSpans = new AtomicLong();
  static final AtomicLong replayedSpans = new AtomicLong();
  static final AtomicLong droppedSpans = new AtomicLong();
  static final AtomicLong rejectedSpans = new AtomicLong();
  static final AtomicLong corruptRecords = new AtomicLong();
  static final AtomicLong salvagedRecords = new AtomicLong();
  static final AtomicLong pendingSpans = new AtomicLong();
  private static long droppedReported;
  private static final List<String[]> problems = new ArrayList<>();

  private SpoolStats() {}

  /** Spans written to the spool (or the memory backlog) because the backend did not take them. */
  public static long spooled() {
    return spooledSpans.get();
  }

  /** Spans delivered later from the spool. */
  public static long replayed() {
    return replayedSpans.get();
  }

  /** Spans dropped because the spool (and the memory backlog) were full, oldest first. */
  public static long dropped() {
    return droppedSpans.get();
  }

  /** Spans the backend refused as invalid (not retried). */
  public static long rejected() {
    return rejectedSpans.get();
  }

  /** Damaged records detected and skipped. */
  public static long corrupt() {
    return corruptRecords.get();
  }

  /** Intact records recovered from a damaged spool file. */
  public static long salvaged() {
    return salvagedRecords.get();
  }

  /** Spans waiting in the spool or the memory backlog. */
  public static long pending() {
    return pendingSpans.get();
  }

  /** Spans dropped since the last call: what the next capture window reports. */
  public static synchronized long takeDroppedSinceLastReport() {
    long now = droppedSpans.get();
    long delta = now - droppedReported;
    droppedReported = now;
    return delta;
  }

  static void problem(String event, String message) {
    synchronized (problems) {
      if (problems.size() < 100) {
        problems.add(new String[] {event, message});
      }
    }
    java.util.logging.Logger.getLogger(SpoolStats.class.getName()).warning("osapi-monitor spool: " + message);
  }

  /** Problems since the last call, as {event, message} pairs, for the audit log. */
  public static List<String[]> takeProblems() {
    synchronized (problems) {
      List<String[]> out = new ArrayList<>(problems);
      problems.clear();
      return out;
    }
  }
}
