package dev.osapimonitor.processors.engine;

/** Told about every change of the active conditions, to audit it and to recompute the gate's interest. */
interface ConditionListener {

  /**
   * @param event {@code flag.raise}, {@code flag.lower}, {@code flag.expire}, {@code window.open},
   *     {@code window.close}, {@code trigger.fire}, {@code trigger.expire}
   * @param actor who did it (a JMX principal, a file owner, {@code policy}, {@code scheduler})
   * @param why the reason given with a lowering, or {@code null}
   */
  void changed(String event, Condition condition, String actor, String why);
}
