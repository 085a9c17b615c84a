package dev.osapimonitor.processors.engine;

import dev.osapimonitor.processors.identity.ProcessIdentity;

/**
 * How the engine runs, from the agent configuration (not the policy).
 *
 * @param clock the policy's clock (shifted only in tests)
 * @param identity this JVM
 * @param fault test-only fault injection: {@link #FAULT_NONE}, {@link #FAULT_DECISION} or {@link #FAULT_ATTRIBUTES}
 */
public record EngineOptions(EngineClock clock, ProcessIdentity identity, int fault) {

  public static final int FAULT_NONE = 0;
  /** Every decision throws (the gate must swallow it and the application must not notice). */
  public static final int FAULT_DECISION = 1;
  /** Building a span's attributes throws. */
  public static final int FAULT_ATTRIBUTES = 2;
}
