package dev.osapimonitor.processors.engine;

import dev.osapimonitor.bootstrap.OsApiOps;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts decisions per operation and per rule. Exported as the metric {@code osapi.calls} (attributes
 * {@code osapi.family}, {@code osapi.operation}, {@code osapi.decision}) and, in dry-run mode, as the periodic report.
 */
final class DecisionCounters {

  private static final int DECISIONS = Decision.values().length;

  private final LongAdder[] byOp = new LongAdder[OsApiOps.OP_COUNT * DECISIONS];
  private final Map<String, LongAdder[]> byRule = new LinkedHashMap<>();
  private final LongAdder estimatedBytes = new LongAdder();
  private final LongAdder estimatedSpans = new LongAdder();

  DecisionCounters() {
    for (int i = 0; i < byOp.length; i++) {
      byOp[i] = new LongAdder();
    }
  }

  void count(int op, Decision decision) {
    byOp[op * DECISIONS + decision.ordinal()].increment();
  }

  void count(int op, Decision decision, String rule) {
    count(op, decision);
    if (rule != null) {
      LongAdder[] adders;
      synchronized (byRule) {
        adders = byRule.computeIfAbsent(rule, k -> newAdders());
      }
      adders[decision.ordinal()].increment();
    }
  }

  private static LongAdder[] newAdders() {
    LongAdder[] adders = new LongAdder[DECISIONS];
    for (int i = 0; i < DECISIONS; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }

  long get(int op, Decision decision) {
    return byOp[op * DECISIONS + decision.ordinal()].sum();
  }

  long total(Decision decision) {
    long sum = 0;
    for (int op = 0; op < OsApiOps.OP_COUNT; op++) {
      sum += get(op, decision);
    }
    return sum;
  }

  Map<String, Long> byRule(Decision decision) {
    Map<String, Long> out = new LinkedHashMap<>();
    synchronized (byRule) {
      for (Map.Entry<String, LongAdder[]> e : byRule.entrySet()) {
        out.put(e.getKey(), e.getValue()[decision.ordinal()].sum());
      }
    }
    return out;
  }

  /** Adds one span's estimated serialized size, for the dry-run volume estimate. */
  void estimate(long bytes) {
    estimatedBytes.add(bytes);
    estimatedSpans.increment();
  }

  /** Average estimated bytes per span so far, or {@code fallback} before any estimate. */
  long averageSpanBytes(long fallback) {
    long spans = estimatedSpans.sum();
    return spans == 0 ? fallback : estimatedBytes.sum() / spans;
  }
}
