package dev.osapimonitor.processors.engine;

import dev.osapimonitor.bootstrap.OsApiOps;
import dev.osapimonitor.processors.match.CallFacts;
import dev.osapimonitor.processors.policy.Scope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of the active conditions, shaped for the hot path: a bit mask of the operations some
 * process-wide condition covers, the first such condition per operation, and maps for trace- and user-scoped
 * conditions (checked only when some exist).
 */
final class CaptureState {

  static final CaptureState EMPTY = new CaptureState(List.of());

  final List<Condition> all;
  final long processOps;
  final long scopedOps;
  private final Condition[] processByOp = new Condition[OsApiOps.OP_COUNT];
  private final Map<String, List<Condition>> byTrace;
  private final Map<String, List<Condition>> byUser;

  CaptureState(List<Condition> conditions) {
    this.all = Collections.unmodifiableList(new ArrayList<>(conditions));
    long process = 0;
    long scoped = 0;
    Map<String, List<Condition>> traces = new HashMap<>();
    Map<String, List<Condition>> users = new HashMap<>();
    for (Condition c : conditions) {
      if (c.scopeKey() == null) {
        process |= c.opMask();
        for (int op = 0; op < OsApiOps.OP_COUNT; op++) {
          if (processByOp[op] == null && c.coversOp(op)) {
            processByOp[op] = c;
          }
        }
      } else {
        scoped |= c.opMask();
        (c.scope() == Scope.TRACE ? traces : users)
            .computeIfAbsent(c.scopeKey(), k -> new ArrayList<>())
            .add(c);
      }
    }
    this.processOps = process;
    this.scopedOps = scoped;
    this.byTrace = traces;
    this.byUser = users;
  }

  long coveredOps() {
    return processOps | scopedOps;
  }

  /**
   * The condition covering this call, or {@code null}. With {@code allowed} set, only conditions of those names
   * count (a rule's {@code conditions}). Trace- and user-scoped conditions are preferred over process-wide ones: they
   * are the more specific reason.
   */
  Condition coverFor(int op, CallFacts facts, List<String> allowed) {
    long bit = 1L << op;
    if ((scopedOps & bit) != 0) {
      if (!byTrace.isEmpty()) {
        String traceId = facts.parentSpanContext().getTraceId();
        Condition c = first(byTrace.get(traceId), op, allowed);
        if (c != null) {
          return c;
        }
      }
      if (!byUser.isEmpty()) {
        String user = facts.enduser();
        if (user != null) {
          Condition c = first(byUser.get(user), op, allowed);
          if (c != null) {
            return c;
          }
        }
      }
    }
    if ((processOps & bit) != 0) {
      Condition c = processByOp[op];
      if (allowed == null || allowed.isEmpty() || allowed.contains(c.name())) {
        return c;
      }
      for (Condition other : all) {
        if (other.scopeKey() == null && other.coversOp(op) && allowed.contains(other.name())) {
          return other;
        }
      }
    }
    return null;
  }

  private static Condition first(List<Condition> candidates, int op, List<String> allowed) {
    if (candidates == null) {
      return null;
    }
    for (Condition c : candidates) {
      if (c.coversOp(op) && (allowed == null || allowed.isEmpty() || allowed.contains(c.name()))) {
        return c;
      }
    }
    return null;
  }
}
