package dev.osapimonitor.processors.policy;

import dev.osapimonitor.processors.match.CallMatcher;
import java.time.Duration;
import java.util.List;

/**
 * One rule, compiled. {@code opMask} holds the operations the rule can match at all (from {@code family},
 * {@code operation} and the keys used), so the engine only tries the rule on those.
 */
public record RuleSpec(
    String name,
    String desc,
    long opMask,
    CallMatcher match,
    Action action,
    List<String> conditions,
    TriggerSpec trigger,
    List<ExceptionSpec> exceptions,
    RateLimit rateLimit,
    Duration dedup,
    List<String> tags,
    int line) {

  /** A named exception: when it matches, the rule does not apply and the next rule is tried. */
  public record ExceptionSpec(String name, CallMatcher match) {}

  /** True when the rule's clauses match and none of its exceptions does. */
  public boolean appliesTo(dev.osapimonitor.processors.match.CallFacts facts) {
    if (!match.matches(facts)) {
      return false;
    }
    for (ExceptionSpec exception : exceptions) {
      if (exception.match().matches(facts)) {
        return false;
      }
    }
    return true;
  }
}
