package dev.osapimonitor.processors.engine;

/**
 * The JMX control surface ({@code dev.osapimonitor:type=FlagControl}), registered in the platform MBean server:
 * reachable through whatever JMX access the JVM already allows (local attach, or a remote connector the operator
 * configured with authentication). The extension opens no port of its own. Every operation is audited with the
 * caller's JMX principal.
 */
public interface FlagControlMBean {

  /**
   * Raises a process-wide flag.
   *
   * @param ttl how long, e.g. {@code 4h} or {@code 30m} (at most 366 days)
   * @param families comma-separated families to cover, or empty for all
   * @return a description of the raised flag
   */
  String raise(String name, String reason, String ticket, String ttl, String families);

  /** Lowers every flag (or trigger flag) with this name; returns how many were lowered. */
  int lower(String name, String reason);

  /** The active flags, windows and triggers, one per line. */
  String[] list();

  String getPolicySha256();

  String getPolicySource();
}
