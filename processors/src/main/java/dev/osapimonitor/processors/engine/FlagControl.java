package dev.osapimonitor.processors.engine;

import dev.osapimonitor.bootstrap.OsApiOps;
import dev.osapimonitor.processors.policy.PolicyParser;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.security.AccessController;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import javax.security.auth.Subject;

/** The {@link FlagControlMBean}: raise, lower and list flags over JMX, audited with the caller's principal. */
public final class FlagControl implements FlagControlMBean {

  public static final String OBJECT_NAME = "dev.osapimonitor:type=FlagControl";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");

  private final OsApiEngine engine;

  public FlagControl(OsApiEngine engine) {
    this.engine = engine;
  }

  /** Registers in the platform MBean server; returns false (and says why) when that is not possible. */
  public static boolean register(OsApiEngine engine) {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName name = new ObjectName(OBJECT_NAME);
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
      server.registerMBean(new StandardMBean(new FlagControl(engine), FlagControlMBean.class), name);
      return true;
    } catch (Exception | LinkageError e) {
      java.util.logging.Logger.getLogger(FlagControl.class.getName())
          .warning("osapi-monitor: JMX flag control not available: " + e);
      return false;
    }
  }

  @Override
  public String raise(String name, String reason, String ticket, String ttl, String families) {
    String actor = actor();
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid flag name (1-128 letters, digits, '_', '-', '.', ':', '@')");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a reason is required");
    }
    Duration duration = ttl == null ? null : PolicyParser.parseDuration(ttl.trim());
    if (duration == null || duration.isZero() || duration.compareTo(Duration.ofDays(366)) > 0) {
      throw new IllegalArgumentException("ttl must be a duration like 30m or 4h (at most 366d), got '" + ttl + "'");
    }
    long mask = 0;
    if (families == null || families.isBlank()) {
      mask = (1L << OsApiOps.OP_COUNT) - 1;
    } else {
      for (String f : families.split(",")) {
        int family = OsApiOps.findFamily(f.trim());
        if (family < 0) {
          throw new IllegalArgumentException("unknown family '" + f.trim() + "'");
        }
        mask |= OsApiOps.familyMask(family);
      }
    }
    Instant expires = engine.clock().now().plus(duration);
    Condition c =
        engine.raiseFlag(name, reason, actor, ticket == null ? "" : ticket, expires, mask, "jmx", actor);
    return c.toString();
  }

  @Override
  public int lower(String name, String reason) {
    return engine.lowerFlag(name, actor(), reason == null || reason.isBlank() ? "lowered over JMX" : reason);
  }

  @Override
  public String[] list() {
    List<Condition> conditions = engine.activeConditions();
    String[] out = new String[conditions.size()];
    for (int i = 0; i < out.length; i++) {
      Condition c = conditions.get(i);
      out[i] = c + ": " + c.reason() + (c.ticket().isEmpty() ? "" : " [" + c.ticket() + "]")
          + " captured=" + c.capturedCount() + " suppressed=" + c.suppressedCount();
    }
    return out;
  }

  @Override
  public String getPolicySha256() {
    return engine.policy().sha256();
  }

  @Override
  public String getPolicySource() {
    return engine.policy().source();
  }

  /** The JMX principal of the caller, or {@code jmx:local} for an unauthenticated local connection. */
  @SuppressWarnings("removal")
  static String actor() {
    Subject subject = null;
    try {
      // Subject.current() exists from Java 18; getSubject(AccessControlContext) is gone in effect from 23.
      Method current = Subject.class.getMethod("current");
      subject = (Subject) current.invoke(null);
    } catch (NoSuchMethodException e) {
      try {
        subject = Subject.getSubject(AccessController.getContext());
      } catch (RuntimeException ignored) {
        subject = null;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      subject = null;
    }
    if (subject != null) {
      Set<Principal> principals = subject.getPrincipals();
      if (!principals.isEmpty()) {
        return "jmx:" + principals.iterator().next().getName();
      }
    }
    return "jmx:local";
  }
}
