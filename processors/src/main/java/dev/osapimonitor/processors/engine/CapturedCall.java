package dev.osapimonitor.processors.engine;

import dev.osapimonitor.processors.match.CallFacts;
import dev.osapimonitor.processors.policy.RuleSpec;
import io.opentelemetry.api.trace.Span;

/** A call being exported: the record plus its span, ended by the gate when the JDK method returns or throws. */
final class CapturedCall extends CallRecord {

  private final OsApiEngine engine;
  final Condition condition;
  final RuleSpec rule;
  Span span;
  /** A captured container's span made current while it runs, so the OS calls inside it are its children. */
  io.opentelemetry.context.Scope scope;
  /** Environment variables this extension added to a ProcessBuilder, to take out again after the start. */
  String[] injectedEnvironment;
  ProcessBuilder subjectBuilder;

  CapturedCall(
      OsApiEngine engine,
      CallFacts facts,
      long startNanos,
      int maxArgs,
      boolean withCaller,
      boolean withEnduser,
      Condition condition,
      RuleSpec rule) {
    super(facts, startNanos, maxArgs, withCaller, withEnduser);
    this.engine = engine;
    this.condition = condition;
    this.rule = rule;
  }

  @Override
  void finish() {
    engine.finishCaptured(this);
  }
}
