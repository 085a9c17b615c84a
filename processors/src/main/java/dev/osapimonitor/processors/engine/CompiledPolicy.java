package dev.osapimonitor.processors.engine;

import dev.osapimonitor.bootstrap.OsApiOps;
import dev.osapimonitor.processors.policy.Action;
import dev.osapimonitor.processors.policy.Policy;
import dev.osapimonitor.processors.policy.RuleSpec;
import dev.osapimonitor.processors.policy.Scope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A policy arranged for the hot path: the rules that can match each operation, in policy order; the per-rule rate
 * limiters and duplicate filters; the operations that triggers and the look-back need to see; the redactor and span
 * contract built from the policy's limits.
 */
final class CompiledPolicy {

  private static final RuleSpec[] NO_RULES = new RuleSpec[0];

  final Policy policy;
  final RuleSpec[][] rulesByOp = new RuleSpec[OsApiOps.OP_COUNT][];
  final long triggerOps;
  final long captureRuleOps;
  final long lookbackOps;
  final boolean needsEnduser;
  final Redactor redactor;
  final SpanContract contract;
  private final Map<String, RateLimiter> limiters = new HashMap<>();
  private final Map<String, Deduplicator> deduplicators = new HashMap<>();

  CompiledPolicy(Policy policy) {
    this.policy = policy;
    long triggers = 0;
    long captures = 0;
    boolean enduser = false;
    for (int op = 0; op < OsApiOps.OP_COUNT; op++) {
      List<RuleSpec> rules = new ArrayList<>();
      for (RuleSpec rule : policy.rules()) {
        if ((rule.opMask() & (1L << op)) != 0) {
          rules.add(rule);
        }
      }
      rulesByOp[op] = rules.isEmpty() ? NO_RULES : rules.toArray(new RuleSpec[0]);
    }
    for (RuleSpec rule : policy.rules()) {
      if (rule.action() == Action.TRIGGER) {
        triggers |= rule.opMask();
        enduser |= rule.trigger().scope() == Scope.USER;
      } else if (rule.action() == Action.CAPTURE) {
        captures |= rule.opMask();
      }
      if (rule.rateLimit() != null) {
        limiters.put(rule.name(), new RateLimiter(rule.rateLimit()));
      }
      if (rule.dedup() != null) {
        deduplicators.put(rule.name(), new Deduplicator(rule.dedup().toNanos()));
      }
    }
    this.triggerOps = triggers;
    this.captureRuleOps = captures;
    this.lookbackOps = policy.lookback().enabled() ? policy.lookback().opMask() : 0;
    this.needsEnduser = enduser;
    this.redactor = new Redactor(policy.redaction());
    this.contract = new SpanContract(redactor, policy.settings().maxAttributeLength());
  }

  /** The first rule that applies to the call, or {@code null} (then the default action holds). */
  RuleSpec firstMatch(dev.osapimonitor.processors.match.CallFacts facts) {
    for (RuleSpec rule : rulesByOp[facts.op()]) {
      if (rule.appliesTo(facts)) {
        return rule;
      }
    }
    return null;
  }

  /** Passes the rule's rate limit and duplicate filter; {@code false} means suppressed. */
  boolean admit(RuleSpec rule, String dedupKey) {
    RateLimiter limiter = limiters.get(rule.name());
    if (limiter != null && !limiter.tryAcquire()) {
      return false;
    }
    Deduplicator dedup = deduplicators.get(rule.name());
    return dedup == null || dedupKey == null || dedup.admit(dedupKey);
  }

  boolean hasVolumeControl(RuleSpec rule) {
    return limiters.containsKey(rule.name()) || deduplicators.containsKey(rule.name());
  }

  /**
   * The operations the gate must let through: triggers always; captures when a condition covers them (or in
   * dry-run, always, to count them); the look-back; process starts when trace context goes to children.
   */
  long interest(CaptureState state, boolean propagateToChildren) {
    long all = (1L << OsApiOps.OP_COUNT) - 1;
    long interest = triggerOps | lookbackOps | state.coveredOps();
    if (policy.dryRun()) {
      interest |= policy.defaultAction() == Action.CAPTURE ? all : captureRuleOps;
    }
    if (propagateToChildren) {
      interest |= 1L << OsApiOps.PROCESS_EXEC;
    }
    if ((interest & (1L << OsApiOps.FILE_CREATE)) != 0) {
      // NIO creations arrive at the gate as opens and become creates in the engine.
      interest |= 1L << OsApiOps.FILE_OPEN;
    }
    return interest & all;
  }
}
