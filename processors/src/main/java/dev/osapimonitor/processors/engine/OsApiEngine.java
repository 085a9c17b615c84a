package dev.osapimonitor.processors.engine;

import dev.osapimonitor.bootstrap.CallHandler;
import dev.osapimonitor.bootstrap.OsApiCall;
import dev.osapimonitor.bootstrap.OsApiGate;
import dev.osapimonitor.bootstrap.OsApiOps;
import dev.osapimonitor.exporter.correlation.CaptureAttributes;
import dev.osapimonitor.exporter.correlation.CaptureWindowRoots;
import dev.osapimonitor.processors.match.CallFacts;
import dev.osapimonitor.processors.match.CallerLocator;
import dev.osapimonitor.processors.policy.Action;
import dev.osapimonitor.processors.policy.Policy;
import dev.osapimonitor.processors.policy.PolicyException;
import dev.osapimonitor.processors.policy.RuleSpec;
import dev.osapimonitor.processors.policy.Scope;
import dev.osapimonitor.processors.policy.TriggerSpec;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a policy decides and a followed call becomes a span. Implements the gate's {@link CallHandler}: for each call
 * the interest mask lets through, it finds the first rule that applies, then drops, counts, keeps the call for the
 * look-back, captures it under the condition that covers it, or fires a trigger. The path for a call that ends up
 * dropped allocates nothing (the per-thread {@link CallFacts} is reused) and builds no attribute.
 */
public final class OsApiEngine implements CallHandler {

  public static final String SCOPE_NAME = "osapi-monitor";
  static final long DEFAULT_SPAN_BYTES = 600;
  private static final AttributeKey<String> AUDIT_CONDITION_KIND = AttributeKey.stringKey("osapi.capture.kind");

  private final EngineOptions options;
  private final EngineClock clock;
  private final FlagRegistry registry;
  private final DecisionCounters counters = new DecisionCounters();
  private final AuditLog audit;
  private final StackCallerLocator callerLocator;
  private final ThreadLocal<CallFacts> facts = ThreadLocal.withInitial(CallFacts::new);
  private volatile CompiledPolicy compiled;
  private volatile LookbackBuffer lookback;
  private volatile Tracer tracer;
  private volatile CaptureWindowRoots roots;
  private volatile boolean gateInstalled;
  private volatile int fault;

  public OsApiEngine(EngineOptions options) {
    this.options = options;
    this.clock = options.clock();
    this.fault = options.fault();
    this.compiled = new CompiledPolicy(Policy.empty("<none>"));
    this.audit = new AuditLog(() -> compiled.policy.sha256());
    this.registry = new FlagRegistry(clock, this::conditionChanged);
    this.registry.setIdentity(
        options.identity().userName(), options.identity().commandLine(), options.identity().mainClass());
    this.registry.onPublish(this::updateInterest);
    this.callerLocator = new StackCallerLocator(compiled.policy.settings().callerSkipPackages());
    CallFacts.configure(options.identity().userName(), compiled.policy.settings().enduserAttribute());
  }

  // ---------------------------------------------------------------- policy

  public Policy policy() {
    return compiled.policy;
  }

  public AuditLog audit() {
    return audit;
  }

  public EngineClock clock() {
    return clock;
  }

  FlagRegistry registry() {
    return registry;
  }

  /**
   * Puts a validated policy in force: rules, look-back bounds, flags and windows. Audited as {@code event}
   * ({@code policy.load} at start, {@code policy.reload} later).
   */
  public synchronized void applyPolicy(Policy policy, String event, String actor) {
    String previous = compiled.policy.sha256();
    CompiledPolicy next = new CompiledPolicy(policy);
    LookbackBuffer buffer = lookback;
    if (policy.lookback().enabled()) {
      long maxAge = policy.lookback().maxAge().toNanos();
      if (buffer == null) {
        buffer = new LookbackBuffer(policy.lookback().maxRecords(), maxAge);
      } else if (buffer.capacity() != policy.lookback().maxRecords() || buffer.maxAgeNanos() != maxAge) {
        buffer = buffer.resized(policy.lookback().maxRecords(), maxAge);
      }
    } else {
      buffer = null;
    }
    this.lookback = buffer;
    this.compiled = next;
    callerLocator.setSkipPackages(policy.settings().callerSkipPackages());
    CallFacts.configure(options.identity().userName(), policy.settings().enduserAttribute());
    CaptureWindowRoots r = roots;
    if (r != null) {
      r.setBounds(policy.settings().windowMaxDuration(), policy.settings().windowMaxSpans());
    }
    AttributesBuilder attributes =
        Attributes.builder()
            .put(AuditLog.ACTOR, actor)
            .put(AuditLog.POLICY_SOURCE, policy.source())
            .put(CaptureAttributes.POLICY_SHA256, policy.sha256())
            .put(AuditLog.CHANGE, policy.toString());
    if (!previous.isEmpty()) {
      attributes.put(AuditLog.PREVIOUS_SHA256, previous);
    }
    audit.emit(event, attributes.build(), policy.toString(), false);
    registry.applyPolicy(policy, actor);
    updateInterest();
  }

  /** Audits a policy that was not put in force; the one in force stays. */
  public void rejectPolicy(PolicyException error, String actor, boolean atStartup) {
    audit.emit(
        "policy.rejected",
        Attributes.builder()
            .put(AuditLog.ACTOR, actor)
            .put(AuditLog.POLICY_SOURCE, error.source() == null ? "" : error.source())
            .put(AuditLog.ERROR, error.getMessage())
            .put(
                AuditLog.CHANGE,
                atStartup
                    ? "no valid policy at start: capture is off until a valid policy is loaded"
                    : "kept the policy in force (" + compiled.policy.sha256() + ")")
            .build(),
        error.getMessage(),
        true);
  }

  // ---------------------------------------------------------------- flags

  /**
   * Raises a flag by hand (JMX, flag file). {@code ttlOrNull}/{@code expiresOrNull}: exactly one, or both null for
   * never.
   */
  public Condition raiseFlag(
      String name,
      String reason,
      String owner,
      String ticket,
      Instant expires,
      long opMask,
      String source,
      String actor) {
    Condition c =
        new Condition(
            name, Condition.Kind.FLAG, source, reason, owner, ticket, opMask, Scope.PROCESS, null, clock.now(),
            expires, null);
    registry.raise(c, "flag.raise", actor);
    return c;
  }

  public int lowerFlag(String name, String actor, String why) {
    return registry.lower(name, actor, why);
  }

  public int lowerFlagsFromSource(String source, String actor, String why) {
    return registry.lowerFromSource(source, actor, why);
  }

  public List<Condition> activeConditions() {
    return registry.list();
  }

  /** Expires flags and opens/closes windows; called every second by the scheduler. */
  public void tick() {
    registry.tick();
  }

  private void conditionChanged(String event, Condition c, String actor, String why) {
    AttributesBuilder b =
        Attributes.builder()
            .put(AuditLog.ACTOR, actor)
            .put(AuditLog.FLAG, c.name())
            .put(AUDIT_CONDITION_KIND, c.kind().attributeValue())
            .put(AuditLog.FLAG_SOURCE, c.source())
            .put(AuditLog.FLAG_EXPIRES, c.expires() == null ? "never" : c.expires().toString())
            .put(CaptureAttributes.CAPTURE_WINDOW_ID, c.windowId());
    if (!c.reason().isEmpty()) {
      b.put(AuditLog.REASON, c.reason());
    }
    if (!c.ticket().isEmpty()) {
      b.put(AuditLog.TICKET, c.ticket());
    }
    if (!c.owner().isEmpty()) {
      b.put(CaptureAttributes.CAPTURE_OWNER, c.owner());
    }
    if (c.scopeKey() != null) {
      b.put(AuditLog.FLAG_SCOPE, c.scope().yamlName() + ":" + c.scopeKey());
    }
    if (c.rule() != null) {
      b.put(CaptureAttributes.TRIGGER_RULE, c.rule());
    }
    if (why != null) {
      b.put(AuditLog.CHANGE, why);
    }
    boolean ending = event.endsWith(".lower") || event.endsWith(".expire") || event.endsWith(".close")
        || event.equals("trigger.renew");
    if (ending) {
      long spans = c.end();
      b.put(CaptureAttributes.CAPTURE_SPANS, spans);
      b.put(CaptureAttributes.CAPTURE_SUPPRESSED, c.suppressedCount());
      CaptureWindowRoots r = roots;
      if (r != null) {
        r.close(
            c.windowId(),
            Attributes.of(
                CaptureAttributes.CAPTURE_SPANS, spans,
                CaptureAttributes.CAPTURE_SUPPRESSED, c.suppressedCount()));
      }
    }
    audit.emit(event, b.build(), c + (why == null ? "" : ": " + why), false);
  }

  private void updateInterest() {
    if (gateInstalled) {
      OsApiGate.setInterest(compiled.interest(registry.state(), compiled.policy.settings().propagateTraceContext()));
    }
  }

  /** The gate's current interest mask; visible for testing. */
  long interest() {
    return compiled.interest(registry.state(), compiled.policy.settings().propagateTraceContext());
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts exporting (audit events held so far go out) and installs the engine in the gate. */
  public void start(OpenTelemetry openTelemetry) {
    Tracer t = openTelemetry.getTracer(SCOPE_NAME, EngineVersion.VERSION);
    Policy p = compiled.policy;
    this.roots =
        new CaptureWindowRoots(
            t, EngineClock::realEpochNanos, p.settings().windowMaxDuration(), p.settings().windowMaxSpans());
    this.openTelemetry = openTelemetry;
    Context inherited = inheritedContext();
    if (Span.fromContext(inherited).getSpanContext().isValid()) {
      // Started by a traced process: this JVM's capture windows continue the parent's trace.
      roots.setParent(inherited);
    }
    this.tracer = t;
    audit.setTracer(t);
    registerMetrics(openTelemetry.getMeter(SCOPE_NAME));
    gateInstalled = true;
    OsApiGate.install(this, interest());
  }


  /**
   * The trace context a parent process handed over in {@code TRACEPARENT}/{@code TRACESTATE} (the OpenTelemetry
   * environment-variable carrier), or the root context. Read before the gate is installed.
   */
  static Context inheritedContext() {
    Map<String, String> env = System.getenv();
    if (!env.containsKey("TRACEPARENT")) {
      return Context.root();
    }
    return W3CTraceContextPropagator.getInstance()
        .extract(
            Context.root(),
            env,
            new io.opentelemetry.context.propagation.TextMapGetter<Map<String, String>>() {
              @Override
              public Iterable<String> keys(Map<String, String> carrier) {
                return java.util.List.of("traceparent", "tracestate");
              }

              @Override
              public String get(Map<String, String> carrier, String key) {
                return carrier == null ? null : carrier.get(key.toUpperCase(java.util.Locale.ROOT));
              }
            });
  }

  private void registerMetrics(Meter meter) {
    AttributeKey<String> decisionKey = AttributeKey.stringKey("osapi.decision");
    meter
        .counterBuilder("osapi.calls")
        .setDescription("OS-API calls the policy decided, by family, operation and decision")
        .setUnit("{call}")
        .buildWithCallback(
            measurement -> {
              for (int op = 0; op < OsApiOps.OP_COUNT; op++) {
                for (Decision d : Decision.values()) {
                  long n = counters.get(op, d);
                  if (n > 0) {
                    measurement.record(
                        n,
                        Attributes.of(
                            CaptureAttributes.FAMILY, OsApiOps.familyName(OsApiOps.familyOf(op)),
                            CaptureAttributes.OPERATION, OsApiOps.operationName(op),
                            decisionKey, d.attributeValue()));
                  }
                }
              }
            });
    AttributeKey<String> ruleKey = AttributeKey.stringKey("osapi.rule");
    meter
        .counterBuilder("osapi.rule.calls")
        .setDescription("Calls per rule and decision (suppressed = held back by rate limit or dedup)")
        .setUnit("{call}")
        .buildWithCallback(
            measurement -> {
              for (Decision d : Decision.values()) {
                for (Map.Entry<String, Long> e : counters.byRule(d).entrySet()) {
                  if (e.getValue() > 0) {
                    measurement.record(e.getValue(), Attributes.of(ruleKey, e.getKey(), decisionKey, d.attributeValue()));
                  }
                }
              }
            });
    meter
        .counterBuilder("osapi.spool.spans")
        .setDescription("Spans that went through the spool: spooled, replayed, dropped (spool full), rejected")
        .setUnit("{span}")
        .buildWithCallback(
            m -> {
              AttributeKey<String> state = AttributeKey.stringKey("osapi.spool.state");
              m.record(dev.osapimonitor.exporter.spool.SpoolStats.spooled(), Attributes.of(state, "spooled"));
              m.record(dev.osapimonitor.exporter.spool.SpoolStats.replayed(), Attributes.of(state, "replayed"));
              m.record(dev.osapimonitor.exporter.spool.SpoolStats.dropped(), Attributes.of(state, "dropped"));
              m.record(dev.osapimonitor.exporter.spool.SpoolStats.rejected(), Attributes.of(state, "rejected"));
            });
    meter
        .gaugeBuilder("osapi.spool.pending")
        .ofLongs()
        .setDescription("Spans waiting in the spool for the backend")
        .buildWithCallback(m -> m.record(dev.osapimonitor.exporter.spool.SpoolStats.pending()));
    meter
        .counterBuilder("osapi.internal.errors")
        .setDescription("Errors inside the instrumentation, swallowed so the application never sees them")
        .buildWithCallback(m -> m.record(OsApiGate.internalErrors()));
  }

  // ---------------------------------------------------------------- the decision

  @Override
  public OsApiCall onEnter(int op, Object subject, Object detail, long value) {
    if (op == OsApiOps.FILE_OPEN
        && value == OsApiOps.MODE_FROM_OPTIONS
        && detail instanceof java.util.Set
        && ((java.util.Set<?>) detail).contains(java.nio.file.StandardOpenOption.CREATE_NEW)) {
      op = OsApiOps.FILE_CREATE; // Files.createFile and other exclusive creations
    }
    switch (op) {
      case OsApiOps.NETWORK_SEND:
        // Not one span per packet: only a channel's first send to each peer goes on to the policy.
        if (!udpPeers.firstSend(detail, subject)) {
          return null;
        }
        break;
      case OsApiOps.PROCESS_WAIT:
        return childExit(subject, detail, value);
      case OsApiOps.CODE_DEFINE_CLASS:
        // Lambda proxies are hidden classes the JDK defines for every lambda: ordinary JVM machinery, not code
        // loaded at run time by the application.
        if (subject instanceof Class && ((Class<?>) subject).getName().contains("$$Lambda")) {
          return null;
        }
        if (subject instanceof java.lang.invoke.MethodHandles.Lookup
            && ((java.lang.invoke.MethodHandles.Lookup) subject).lookupClass().getName().contains("$$Lambda")) {
          return null;
        }
        break;
      case OsApiOps.DESERIALIZATION_READ_OBJECT:
        if (!(subject instanceof java.util.List)) {
          // Decided when the object is read and its classes are known.
          return new PendingDeserialization(this, EngineClock.realEpochNanos());
        }
        break;
      default:
        break;
    }
    return decideNow(op, subject, detail, value, 0);
  }

  private OsApiCall decideNow(int op, Object subject, Object detail, long value, long startNanos) {
    CallFacts f = facts.get().reset(op, subject, detail, value, callerLocator);
    f.startedAt(startNanos);
    try {
      return decide(f);
    } finally {
      f.clear();
    }
  }

  /** When the call started: now, unless it is decided late (a deserialization). */
  private static long startOf(CallFacts f) {
    long start = f.startedAt();
    return start != 0 ? start : EngineClock.realEpochNanos();
  }

  /** A completed deserialization: decided now, with the classes it read, and ended at once. */
  void completeDeserialization(PendingDeserialization pending, Object result, Throwable error) {
    java.util.List<String> classes = pending.classNames(result);
    OsApiCall call =
        decideNow(OsApiOps.DESERIALIZATION_READ_OBJECT, classes, null, pending.count, pending.startNanos);
    if (call != null) {
      call.end(result, 1, error);
    }
  }

  private final UdpPeers udpPeers = new UdpPeers();
  private final java.util.Map<Process, Boolean> reportedChildren =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /** A child's exit code, read by the application: reported once per child. */
  private OsApiCall childExit(Object subject, Object detail, long value) {
    if (detail instanceof java.util.concurrent.CompletableFuture) {
      // onExit(): report when the future completes, from another thread so that the gate sees a fresh call.
      ((java.util.concurrent.CompletableFuture<?>) detail)
          .whenCompleteAsync(
              (process, error) -> {
                if (error == null && process instanceof Process && !((Process) process).isAlive()) {
                  Process p = (Process) process;
                  int code = p.exitValue();
                  OsApiGate.exit(OsApiGate.enter(OsApiOps.PROCESS_WAIT, p, null, code), p, code, null);
                }
              });
      return null;
    }
    if (!(subject instanceof Process) || reportedChildren.put((Process) subject, Boolean.TRUE) != null) {
      return null;
    }
    return decideNow(OsApiOps.PROCESS_WAIT, subject, null, value, 0);
  }

  private OsApiCall decide(CallFacts f) {
    if (fault == EngineOptions.FAULT_DECISION) {
      throw new IllegalStateException("osapi-monitor test fault: decision");
    }
    CompiledPolicy cp = compiled;
    int op = f.op();
    RuleSpec rule = cp.firstMatch(f);
    Action action = rule == null ? cp.policy.defaultAction() : rule.action();
    String ruleName = rule == null ? null : rule.name();
    if (action == Action.IGNORE) {
      counters.count(op, Decision.IGNORED, ruleName);
      return propagateOnly(f, cp);
    }
    CaptureState state = registry.state();
    if (cp.policy.dryRun()) {
      return dryRun(f, cp, state, rule, action);
    }
    if (action == Action.TRIGGER) {
      if (ThreadClassifier.isAgentThread()) {
        counters.count(op, Decision.SELF);
        return null;
      }
      if (cp.hasVolumeControl(rule) && !cp.admit(rule, dedupKey(f))) {
        counters.count(op, Decision.SUPPRESSED, ruleName);
        Condition c = state.coverFor(op, f, null);
        if (c != null) {
          c.suppressed.increment();
        }
        return held(op, propagateOnly(f, cp));
      }
      return fire(f, cp, rule);
    }
    Condition condition = state.coverFor(op, f, rule == null ? null : rule.conditions());
    if (condition != null) {
      if (ThreadClassifier.isAgentThread()) {
        counters.count(op, Decision.SELF);
        return null;
      }
      if (rule != null && cp.hasVolumeControl(rule) && !cp.admit(rule, dedupKey(f))) {
        condition.suppressed.increment();
        counters.count(op, Decision.SUPPRESSED, ruleName);
        return held(op, propagateOnly(f, cp));
      }
      CapturedCall call = capture(f, cp, rule, condition, false);
      if (call == null) {
        return null;
      }
      counters.count(op, Decision.CAPTURED, ruleName);
      return call;
    }
    LookbackBuffer buffer = lookback;
    if (buffer != null
        && (cp.lookbackOps & (1L << op)) != 0
        && cp.policy.lookback().match().matches(f)
        && !ThreadClassifier.isAgentThread()) {
      CallRecord record =
          new CallRecord(f, startOf(f), cp.policy.settings().maxCommandArgs(), false, cp.needsEnduser);
      buffer.add(record);
      counters.count(op, Decision.LOOKBACK, ruleName);
      propagate(f, cp, null, null);
      return record;
    }
    counters.count(op, Decision.UNFLAGGED, ruleName);
    return propagateOnly(f, cp);
  }

  /**
   * A suppressed call still occupies the gate until it returns, like a captured one: the JDK methods it calls in
   * turn (JDK 25's Files.writeString opens the file through two instrumented methods) must not be decided, and
   * counted, a second time.
   */
  private static final OsApiCall HELD =
      new OsApiCall() {
        @Override
        public void end(Object result, long value, Throwable error) {}
      };

  private static OsApiCall held(int op, OsApiCall propagating) {
    if (propagating != null) {
      return propagating;
    }
    // A container's nested calls are decided on their own anyway: nothing to hold.
    return OsApiOps.isContainer(op) ? null : HELD;
  }

  private OsApiCall dryRun(CallFacts f, CompiledPolicy cp, CaptureState state, RuleSpec rule, Action action) {
    int op = f.op();
    String ruleName = rule == null ? null : rule.name();
    // What enforcing would do now, with the flags and windows in force now: a covered call is captured unless the
    // rule's rate limit or duplicate filter would suppress it; anything else is not exported. A dry run raises no
    // trigger flags, so the calls a fired trigger would have captured afterwards count as unflagged.
    Decision would;
    boolean volumeControl = rule != null && cp.hasVolumeControl(rule);
    if (action == Action.TRIGGER) {
      would = volumeControl && !cp.admit(rule, dedupKey(f)) ? Decision.SUPPRESSED : Decision.TRIGGERED;
    } else if (state.coverFor(op, f, rule == null ? null : rule.conditions()) != null) {
      would = volumeControl && !cp.admit(rule, dedupKey(f)) ? Decision.SUPPRESSED : Decision.CAPTURED;
    } else {
      would = Decision.UNFLAGGED;
    }
    counters.count(op, would, ruleName);
    if ((would == Decision.CAPTURED || would == Decision.TRIGGERED) && (counters.total(would) & 31) == 0) {
      // Sample one call in 32 for the volume estimate: the size of the attributes it would carry.
      CallRecord sample = new CallRecord(f, 0, cp.policy.settings().maxCommandArgs(), false, false);
      counters.estimate(estimateBytes(cp.contract.start(sample, null, rule, false)));
    }
    return null;
  }

  static long estimateBytes(Attributes attributes) {
    long[] bytes = {120}; // span envelope: ids, name, timestamps, kind, status
    attributes.forEach((k, v) -> bytes[0] += k.getKey().length() + String.valueOf(v).length() + 4);
    return bytes[0];
  }

  private static String dedupKey(CallFacts f) {
    StringBuilder sb = new StringBuilder(64).append(f.op()).append('|');
    int family = f.family();
    if (family == OsApiOps.FAMILY_FILE) {
      sb.append(f.path()).append('|').append(f.openMode());
    } else if (family == OsApiOps.FAMILY_PROCESS) {
      sb.append(f.commandLine());
    } else if (family == OsApiOps.FAMILY_NETWORK) {
      sb.append(f.host()).append(':').append(f.port());
    } else {
      sb.append(f.name());
    }
    return sb.toString();
  }

  private CapturedCall capture(CallFacts f, CompiledPolicy cp, RuleSpec rule, Condition condition, boolean trigger) {
    Tracer t = tracer;
    if (t == null) {
      return null;
    }
    // One stack walk: finds the application frame and recognises the agent's own calls. It is most of what a
    // captured call costs (BENCHMARKS.md); with settings.caller.enabled=false it is skipped and the agent's calls are
    // recognised by their threads alone (ThreadClassifier), unless a rule already walked the stack.
    boolean callerEnabled = cp.policy.settings().callerEnabled();
    if ((callerEnabled || f.callerKnown()) && f.caller() == CallerLocator.SELF) {
      counters.count(f.op(), Decision.SELF);
      return null;
    }
    if (!callerEnabled && ThreadClassifier.isAgentThread()) {
      counters.count(f.op(), Decision.SELF);
      return null;
    }
    CapturedCall call =
        new CapturedCall(
            this, f, startOf(f), cp.policy.settings().maxCommandArgs(),
            cp.policy.settings().callerEnabled(), cp.needsEnduser, condition, rule);
    if (fault == EngineOptions.FAULT_ATTRIBUTES) {
      throw new IllegalStateException("osapi-monitor test fault: attributes");
    }
    if (!condition.claim()) {
      // The condition ended since it was found active: the call is unflagged now.
      counters.count(f.op(), Decision.UNFLAGGED, rule == null ? null : rule.name());
      return null;
    }
    Context parent;
    if (f.inRequest()) {
      parent = Context.current();
    } else {
      parent = roots.parentFor(condition.window());
    }
    SpanBuilder builder =
        t.spanBuilder(SpanContract.spanName(f.op()))
            .setParent(parent)
            .setSpanKind(SpanContract.kind(f.op()))
            .setStartTimestamp(call.startNanos, TimeUnit.NANOSECONDS)
            .setAllAttributes(cp.contract.start(call, condition, rule, false));
    call.span = builder.startSpan();
    if (OsApiOps.isContainer(f.op())) {
      // The calls the lookup, deserialization or script makes (decided on their own: OsApiCall.containerOp) are
      // its children. Closed in finishCaptured, on this thread: the gate ends calls strictly nested.
      call.scope = parent.with(call.span).makeCurrent();
    }
    propagate(f, cp, call.span.getSpanContext(), call);
    return call;
  }

  /** Ends a captured call's span with how the call ended. Runs on the application's thread, inside the gate. */
  void finishCaptured(CapturedCall call) {
    Span span = call.span;
    if (call.scope != null) {
      call.scope.close();
      call.scope = null;
    }
    try {
      if (call.injectedEnvironment != null) {
        removeInjected(call.subjectBuilder, call.injectedEnvironment);
      }
      compiled.contract.end(call, span);
    } finally {
      span.end(call.endNanos, TimeUnit.NANOSECONDS);
    }
    if (call.op == OsApiOps.PROCESS_HALT) {
      // halt() skips shutdown hooks, so neither the SDK nor the spool would deliver this span: push it out now
      // (bounded wait). Whatever misses the deadline is on disk, delivered at the next start.
      long start = System.nanoTime();
      flush(1000);
      dev.osapimonitor.exporter.spool.SpoolingSpanExporter.awaitAllDelivered(
          Math.max(0, 2000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    }
  }

  private volatile OpenTelemetry openTelemetry;

  /** Flushes the SDK's span processors, waiting at most {@code millis}. */
  public void flush(long millis) {
    OpenTelemetry otel = openTelemetry;
    if (otel instanceof io.opentelemetry.sdk.OpenTelemetrySdk) {
      ((io.opentelemetry.sdk.OpenTelemetrySdk) otel)
          .getSdkTracerProvider()
          .forceFlush()
          .join(millis, TimeUnit.MILLISECONDS);
    }
  }

  // ---------------------------------------------------------------- triggers and look-back

  private OsApiCall fire(CallFacts f, CompiledPolicy cp, RuleSpec rule) {
    if (tracer == null) {
      return null;
    }
    if (f.caller() == CallerLocator.SELF) {
      counters.count(f.op(), Decision.SELF);
      return null;
    }
    TriggerSpec t = rule.trigger();
    String scopeKey = null;
    Scope scope = t.scope();
    if (scope == Scope.TRACE) {
      SpanContext parent = f.parentSpanContext();
      scopeKey = parent.isValid() ? parent.getTraceId() : null;
    } else if (scope == Scope.USER) {
      scopeKey = f.enduser();
    }
    if (scopeKey == null) {
      scope = Scope.PROCESS; // no trace or user to scope to: the whole process (documented)
    }
    Instant now = clock.now();
    long all = (1L << OsApiOps.OP_COUNT) - 1;
    Condition fresh =
        new Condition(
            t.flag(), Condition.Kind.TRIGGER, "trigger", rule.desc().isEmpty() ? "rule " + rule.name() : rule.desc(),
            "policy", "", all, scope, scopeKey, now, now.plus(t.ttl()), rule.name());
    Condition existing = registry.find(fresh.key());
    Condition condition;
    if (existing != null && !existing.expiredAt(now)) {
      condition = existing; // already fired for this scope: capture under it, no new audit event
    } else {
      registry.raise(fresh, "trigger.fire", "rule:" + rule.name());
      condition = fresh;
    }
    CapturedCall call = capture(f, cp, rule, condition, true);
    if (call == null) {
      return null;
    }
    counters.count(f.op(), Decision.TRIGGERED, rule.name());
    if (!t.lookback().isZero()) {
      exportLookback(call, condition, t, scope, scopeKey);
    }
    return call;
  }

  private void exportLookback(CapturedCall trigger, Condition condition, TriggerSpec t, Scope scope, String key) {
    LookbackBuffer buffer = lookback;
    if (buffer == null) {
      return;
    }
    long now = EngineClock.realEpochNanos();
    long since = now - t.lookback().toNanos();
    List<CallRecord> records =
        buffer.drain(
            since,
            now,
            r -> {
              if (scope == Scope.TRACE) {
                return r.parent.isValid() && r.parent.getTraceId().equals(key);
              }
              if (scope == Scope.USER) {
                return key.equals(r.enduser);
              }
              return true;
            });
    SpanContext triggerContext = trigger.span.getSpanContext();
    CompiledPolicy cp = compiled;
    int linked = 0;
    for (CallRecord r : records) {
      Context parent =
          r.parent.isValid()
              ? Context.root().with(Span.wrap(r.parent))
              : roots.parentFor(condition.window());
      Span span =
          tracer
              .spanBuilder(SpanContract.spanName(r.op))
              .setParent(parent)
              .setSpanKind(SpanContract.kind(r.op))
              .setStartTimestamp(r.startNanos, TimeUnit.NANOSECONDS)
              // Not the trigger rule's attributes (its tags describe the trigger, not this call); which trigger
              // exported it is in osapi.trigger.rule.
              .setAllAttributes(cp.contract.start(r, condition, null, true))
              .setAttribute(CaptureAttributes.TRIGGER_RULE, trigger.rule.name())
              .addLink(triggerContext, Attributes.of(CaptureAttributes.TRIGGER_RULE, trigger.rule.name()))
              .startSpan();
      cp.contract.end(r, span);
      long end = r.endNanos == 0 ? Math.max(r.startNanos, now) : r.endNanos;
      span.end(end, TimeUnit.NANOSECONDS);
      if (linked < 100) {
        trigger.span.addLink(span.getSpanContext(), Attributes.of(CaptureAttributes.LOOKBACK, true));
        linked++;
      }
    }
    condition.lookbackExported.addAndGet(records.size());
    trigger.span.setAttribute(CaptureAttributes.TRIGGER_LOOKBACK_SPANS, (long) records.size());
  }

  // ---------------------------------------------------------------- trace context into children

  private OsApiCall propagateOnly(CallFacts f, CompiledPolicy cp) {
    if (f.op() != OsApiOps.PROCESS_EXEC || !cp.policy.settings().propagateTraceContext() || !f.inRequest()) {
      return null;
    }
    PropagationOnly token = new PropagationOnly();
    propagate(f, cp, f.parentSpanContext(), token);
    return token.injected == null ? null : token;
  }

  /** Adds TRACEPARENT/TRACESTATE to a starting process's environment unless the application set them. */
  private void propagate(CallFacts f, CompiledPolicy cp, SpanContext context, Object holder) {
    if (f.op() != OsApiOps.PROCESS_EXEC || !cp.policy.settings().propagateTraceContext()) {
      return;
    }
    SpanContext ctx = context != null ? context : f.parentSpanContext();
    if (ctx == null || !ctx.isValid() || !(f.subject() instanceof ProcessBuilder)) {
      return;
    }
    ProcessBuilder builder = (ProcessBuilder) f.subject();
    Map<String, String> env = builder.environment();
    if (env.containsKey("TRACEPARENT") || env.containsKey("traceparent")) {
      return; // the application's own value wins
    }
    List<String> added = new ArrayList<>(2);
    W3CTraceContextPropagator.getInstance()
        .inject(
            Context.root().with(Span.wrap(ctx)),
            env,
            (carrier, k, v) -> {
              String name = k.toUpperCase(java.util.Locale.ROOT);
              if (carrier != null && !carrier.containsKey(name)) {
                carrier.put(name, v);
                added.add(name);
              }
            });
    String[] keys = added.toArray(new String[0]);
    if (holder instanceof CapturedCall) {
      ((CapturedCall) holder).injectedEnvironment = keys;
      ((CapturedCall) holder).subjectBuilder = builder;
    } else if (holder instanceof PropagationOnly) {
      ((PropagationOnly) holder).injected = keys;
      ((PropagationOnly) holder).builder = builder;
    } else if (holder == null && f.subject() != null) {
      // look-back record: nothing to end, so the variables stay in this builder's copy of the environment
    }
  }

  static void removeInjected(ProcessBuilder builder, String[] keys) {
    if (builder == null || keys == null) {
      return;
    }
    Map<String, String> env = builder.environment();
    for (String k : keys) {
      env.remove(k);
    }
  }

  /** The token for a process start that is not recorded but carries trace context to the child. */
  private static final class PropagationOnly extends OsApiCall {
    String[] injected;
    ProcessBuilder builder;

    @Override
    public void end(Object result, long value, Throwable error) {
      removeInjected(builder, injected);
    }
  }

  // ---------------------------------------------------------------- statistics

  private final DryRunReport dryRunReport = new DryRunReport(this);

  /** Sends the dry-run report (only in dry-run mode). Called by the scheduler. */
  public void reportDryRun() {
    dryRunReport.report();
  }

  DecisionCounters counters() {
    return counters;
  }

  /** Decision counts for one decision over all operations; visible for testing and reports. */
  public long count(Decision decision) {
    return counters.total(decision);
  }

  public long count(int op, Decision decision) {
    return counters.get(op, decision);
  }

  public Map<String, Long> ruleCounts(Decision decision) {
    return counters.byRule(decision);
  }

  public long averageSpanBytes() {
    return counters.averageSpanBytes(DEFAULT_SPAN_BYTES);
  }

  public int lookbackSize() {
    LookbackBuffer b = lookback;
    return b == null ? 0 : b.size(EngineClock.realEpochNanos());
  }

  /** Test-only: switch fault injection on or off at run time. */
  public void setFault(int fault) {
    this.fault = fault;
  }
}
