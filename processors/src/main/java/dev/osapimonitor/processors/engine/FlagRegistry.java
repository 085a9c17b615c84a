package dev.osapimonitor.processors.engine;

import dev.osapimonitor.processors.policy.FlagSpec;
import dev.osapimonitor.processors.policy.Policy;
import dev.osapimonitor.processors.policy.Scope;
import dev.osapimonitor.processors.policy.WindowSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The set of active conditions (raised flags, open windows, fired triggers) and every change to it. All changes go
 * through this class, under one lock, and each one is reported to the listener (which audits it); the hot path only
 * reads the immutable {@link CaptureState} snapshot.
 */
final class FlagRegistry {

  private final EngineClock clock;
  private final ConditionListener listener;
  private final Map<String, Condition> active = new LinkedHashMap<>();
  /** Policy flags by name with the definition they were raised from, so a reload keeps their TTL start. */
  private final Map<String, FlagSpec> policyFlagSpecs = new HashMap<>();
  /** Policy flags lowered by hand: stay lowered until the policy defines them differently. */
  private final Map<String, FlagSpec> loweredPolicyFlags = new HashMap<>();
  private List<WindowSpec> windows = List.of();
  private volatile CaptureState state = CaptureState.EMPTY;
  private String jvmUser = "";
  private String jvmCommandLine = "";
  private String jvmMainClass = "";
  private volatile Runnable onPublish = () -> {};

  FlagRegistry(EngineClock clock, ConditionListener listener) {
    this.clock = clock;
    this.listener = listener;
  }

  /** Called after every change of the snapshot (outside no lock guarantees: keep it short). */
  void onPublish(Runnable callback) {
    this.onPublish = callback;
  }

  void setIdentity(String user, String commandLine, String mainClass) {
    this.jvmUser = user;
    this.jvmCommandLine = commandLine;
    this.jvmMainClass = mainClass;
  }

  CaptureState state() {
    return state;
  }

  /** Whether a flag's or window's {@code scope.users} / {@code scope.processes} cover this JVM. */
  synchronized boolean appliesHere(dev.osapimonitor.processors.policy.Coverage coverage) {
    return coverage.appliesTo(jvmUser, jvmCommandLine, jvmMainClass);
  }

  synchronized List<Condition> list() {
    return new ArrayList<>(active.values());
  }

  /** Reconciles the policy's flags and windows with the active set; called when a new policy is in force. */
  synchronized void applyPolicy(Policy policy, String actor) {
    Instant now = clock.now();
    Map<String, FlagSpec> wanted = new LinkedHashMap<>();
    for (FlagSpec spec : policy.flags()) {
      if (spec.coverage().appliesTo(jvmUser, jvmCommandLine, jvmMainClass)) {
        wanted.put(spec.name(), spec);
      }
    }
    // Lower policy flags that are gone or changed.
    for (Condition c : new ArrayList<>(active.values())) {
      if (c.kind() == Condition.Kind.FLAG && "policy".equals(c.source())) {
        FlagSpec before = policyFlagSpecs.get(c.name());
        FlagSpec after = wanted.get(c.name());
        if (after == null || !sameDefinition(before, after)) {
          remove(c, "flag.lower", actor, after == null ? "removed from the policy" : "redefined by the policy");
        }
      }
    }
    loweredPolicyFlags.entrySet().removeIf(e -> !sameDefinition(e.getValue(), wanted.get(e.getKey())));
    policyFlagSpecs.clear();
    for (FlagSpec spec : wanted.values()) {
      policyFlagSpecs.put(spec.name(), spec);
      if (loweredPolicyFlags.containsKey(spec.name())) {
        continue;
      }
      Condition existing = active.get(Condition.Kind.FLAG + ":" + spec.name());
      if (existing != null && "policy".equals(existing.source())) {
        continue; // unchanged definition: keep its start (and TTL) and window id
      }
      Instant expires = spec.never() ? null : spec.expires() != null ? spec.expires() : now.plus(spec.ttl());
      Condition c =
          new Condition(
              spec.name(), Condition.Kind.FLAG, "policy", spec.reason(), spec.owner(), spec.ticket(),
              spec.coverage().opMask(), Scope.PROCESS, null, now, expires, null);
      if (c.expiredAt(now)) {
        listener.changed("flag.expired_on_load", c, actor, "the policy's expiry has passed");
        continue;
      }
      if (existing != null) {
        remove(existing, "flag.lower", actor, "replaced by the policy's flag of the same name");
      }
      add(c, "flag.raise", actor, null);
    }
    List<WindowSpec> applicable = new ArrayList<>();
    for (WindowSpec w : policy.windows()) {
      if (w.coverage().appliesTo(jvmUser, jvmCommandLine, jvmMainClass)) {
        applicable.add(w);
      }
    }
    this.windows = applicable;
    // Windows that no longer exist close now; the others are (re)evaluated by tick().
    for (Condition c : new ArrayList<>(active.values())) {
      if (c.kind() == Condition.Kind.WINDOW
          && applicable.stream().noneMatch(w -> w.name().equals(c.name()))) {
        remove(c, "window.close", actor, "removed from the policy");
      }
    }
    tickLocked(now);
    publish();
  }

  private static boolean sameDefinition(FlagSpec a, FlagSpec b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.name().equals(b.name())
        && a.reason().equals(b.reason())
        && a.owner().equals(b.owner())
        && a.ticket().equals(b.ticket())
        && Objects.equals(a.expires(), b.expires())
        && Objects.equals(a.ttl(), b.ttl())
        && a.never() == b.never()
        && a.coverage().opMask() == b.coverage().opMask();
  }

  /** Raises (or replaces) a condition. */
  synchronized void raise(Condition c, String event, String actor) {
    Condition existing = active.get(c.key());
    if (existing != null) {
      remove(existing, existing.kind() == Condition.Kind.TRIGGER ? "trigger.renew" : "flag.lower", actor,
          "replaced by a new raise of the same name");
    }
    add(c, event, actor, null);
    publish();
  }

  /**
   * Lowers every flag or trigger flag called {@code name} (from any source). Returns how many were lowered.
   */
  synchronized int lower(String name, String actor, String why) {
    int lowered = 0;
    for (Condition c : new ArrayList<>(active.values())) {
      if (c.name().equals(name) && c.kind() != Condition.Kind.WINDOW) {
        if ("policy".equals(c.source())) {
          loweredPolicyFlags.put(name, policyFlagSpecs.get(name));
        }
        remove(c, c.kind() == Condition.Kind.TRIGGER ? "trigger.lower" : "flag.lower", actor, why);
        lowered++;
      }
    }
    if (lowered > 0) {
      publish();
    }
    return lowered;
  }

  /** Lowers the conditions raised from one source (e.g. a flag file that was removed). */
  synchronized int lowerFromSource(String source, String actor, String why) {
    int lowered = 0;
    for (Condition c : new ArrayList<>(active.values())) {
      if (c.source().equals(source)) {
        remove(c, "flag.lower", actor, why);
        lowered++;
      }
    }
    if (lowered > 0) {
      publish();
    }
    return lowered;
  }

  synchronized Condition find(String key) {
    return active.get(key);
  }

  /** Expires what has expired and opens/closes time windows. Called every second by the scheduler. */
  synchronized void tick() {
    if (tickLocked(clock.now())) {
      publish();
    }
  }

  private boolean tickLocked(Instant now) {
    boolean changed = false;
    for (Condition c : new ArrayList<>(active.values())) {
      if (c.expiredAt(now)) {
        String event =
            c.kind() == Condition.Kind.WINDOW
                ? "window.close"
                : c.kind() == Condition.Kind.TRIGGER ? "trigger.expire" : "flag.expire";
        remove(c, event, "scheduler", null);
        changed = true;
      }
    }
    for (WindowSpec w : windows) {
      Instant opened = w.openedAt(now);
      String key = Condition.Kind.WINDOW + ":" + w.name();
      Condition current = active.get(key);
      if (opened != null && current == null) {
        Condition c =
            new Condition(
                w.name(), Condition.Kind.WINDOW, "policy", w.reason(), "", "", w.coverage().opMask(),
                Scope.PROCESS, null, opened, w.closesAt(now), null);
        add(c, "window.open", "scheduler", null);
        changed = true;
      } else if (opened == null && current != null) {
        remove(current, "window.close", "scheduler", null);
        changed = true;
      }
    }
    return changed;
  }

  private void add(Condition c, String event, String actor, String why) {
    active.put(c.key(), c);
    listener.changed(event, c, actor, why);
  }

  private void remove(Condition c, String event, String actor, String why) {
    active.remove(c.key());
    listener.changed(event, c, actor, why);
  }

  private void publish() {
    state = new CaptureState(new ArrayList<>(active.values()));
    onPublish.run();
  }
}
