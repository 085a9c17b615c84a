package dev.osapimonitor.processors.match;

/**
 * One clause of a rule's {@code match} (or of an exception's). Implementations are immutable, allocate nothing on
 * their own, and never throw: a value they cannot read simply does not match.
 */
public interface CallMatcher {

  boolean matches(CallFacts facts);

  /**
   * Relative cost, so a rule tests cheap clauses first and the stack walk for {@code caller} happens only when
   * everything else already matched.
   */
  int cost();

  /** The clause as the policy wrote it, for explanations and {@code toString()}. */
  String describe();
}
