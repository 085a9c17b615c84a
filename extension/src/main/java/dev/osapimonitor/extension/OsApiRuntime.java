package dev.osapimonitor.extension;

import dev.osapimonitor.processors.engine.AuditLog;
import dev.osapimonitor.processors.engine.EngineClock;
import dev.osapimonitor.processors.engine.EngineOptions;
import dev.osapimonitor.processors.engine.EngineScheduler;
import dev.osapimonitor.processors.engine.FlagControl;
import dev.osapimonitor.processors.engine.FlagDirectory;
import dev.osapimonitor.processors.engine.OsApiEngine;
import dev.osapimonitor.processors.engine.PolicyWatcher;
import dev.osapimonitor.processors.identity.ProcessIdentity;
import dev.osapimonitor.processors.policy.PolicyParser;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import java.nio.file.Paths;
import java.util.List;
import java.util.logging.Logger;

/**
 * The extension's one runtime-state holder: the engine, its policy watcher, flags directory and scheduler, and the
 * identity of this JVM. Configured from the SDK's autoconfiguration (the earliest hook that sees the
 * configuration), or — in declarative-configuration mode, where customizers are not applied — from the agent
 * listener; started by the agent listener once the SDK exists and the instrumentation is installed.
 */
public final class OsApiRuntime {

  private static final Logger logger = Logger.getLogger(OsApiRuntime.class.getName());

  /** Where the policy sits in a declarative configuration file. */
  static final List<String> DECLARATIVE_POLICY_PATH =
      List.of("instrumentation/development", "java", "osapi", "policy");

  private static OsApiConfig config;
  private static ProcessIdentity identity;
  private static OsApiEngine engine;
  private static PolicyWatcher watcher;
  private static FlagDirectory flags;
  private static EngineScheduler scheduler;
  private static boolean started;
  private static long lastReload;

  private OsApiRuntime() {}

  /** Creates the engine and loads the policy. Idempotent; the first configuration wins. */
  static synchronized void configure(OsApiConfig newConfig) {
    if (engine != null) {
      return;
    }
    if (!BootstrapBridgeInstaller.install()) {
      return;
    }
    config = newConfig;
    identity = ProcessIdentity.current();
    EngineClock clock =
        config.testingClock() == null ? EngineClock.system() : EngineClock.startingAt(config.testingClock());
    int fault =
        switch (config.testingFault()) {
          case "decision" -> EngineOptions.FAULT_DECISION;
          case "attributes" -> EngineOptions.FAULT_ATTRIBUTES;
          default -> EngineOptions.FAULT_NONE;
        };
    engine = new OsApiEngine(new EngineOptions(clock, identity, fault));
    List<String> weakened = new java.util.ArrayList<>();
    if (!config.requireSecureFiles()) {
      weakened.add(OsApiConfig.REQUIRE_SECURE_FILES + "=false");
    }
    if (config.testingClock() != null) {
      weakened.add(OsApiConfig.TESTING_CLOCK + "=" + config.testingClock());
    }
    if (fault != EngineOptions.FAULT_NONE) {
      weakened.add(OsApiConfig.TESTING_FAULT + "=" + config.testingFault());
    }
    if (!weakened.isEmpty()) {
      engine
          .audit()
          .emit(
              "config.insecure",
              Attributes.of(AuditLog.ACTOR, "config", AuditLog.REASON, String.join(", ", weakened)),
              "started with settings that weaken its controls: " + String.join(", ", weakened),
              true);
    }
    if (config.policyFile() != null) {
      watcher = new PolicyWatcher(engine, Paths.get(config.policyFile()), config.requireSecureFiles());
    } else if (config.declarativeFile() != null) {
      watcher =
          new PolicyWatcher(
              engine,
              Paths.get(config.declarativeFile()),
              config.requireSecureFiles(),
              file -> PolicyParser.parseEmbedded(file, DECLARATIVE_POLICY_PATH));
    }
    if (watcher != null) {
      watcher.loadInitial();
    } else {
      engine
          .audit()
          .emit(
              "policy.none",
              Attributes.empty(),
              "no policy configured (" + OsApiConfig.POLICY + "): capture is off",
              false);
    }
    flags = new FlagDirectory(engine, config.requireSecureFiles());
  }

  /** Installs the engine in the gate and starts the background work. */
  static synchronized void start(OpenTelemetry openTelemetry, OsApiConfig fallback) {
    if (started) {
      return;
    }
    if (engine == null) {
      configure(fallback);
      if (engine == null) {
        logger.severe("osapi-monitor: not started (see earlier errors); OS-API calls are not recorded");
        return;
      }
    }
    started = true;
    engine.start(openTelemetry);
    scheduler = new EngineScheduler();
    scheduler.every(1000, "flag expiry and windows", engine::tick);
    // Files are polled at the policy's reload_interval, which a reload may change: check often, act when due.
    flags.poll();
    lastReload = System.nanoTime();
    scheduler.every(100, "policy and flags reload", OsApiRuntime::reloadIfDue);
    scheduler.every(1000, "dry-run report", OsApiRuntime::reportIfDue);
    scheduler.every(1000, "spool problems", OsApiRuntime::auditSpoolProblems);
    if (config.jmxEnabled()) {
      scheduler.once(0, "JMX registration", () -> FlagControl.register(engine));
    }
  }

  private static long lastReport = System.nanoTime();

  private static void reloadIfDue() {
    long interval = engine.policy().settings().reloadInterval().toNanos();
    if (System.nanoTime() - lastReload < interval) {
      return;
    }
    lastReload = System.nanoTime();
    if (watcher != null) {
      watcher.poll();
    }
    flags.poll();
  }

  private static void reportIfDue() {
    long interval = engine.policy().settings().dryRunReportInterval().toNanos();
    if (System.nanoTime() - lastReport < interval) {
      return;
    }
    lastReport = System.nanoTime();
    engine.reportDryRun();
  }

  private static void auditSpoolProblems() {
    for (String[] problem : dev.osapimonitor.exporter.spool.SpoolStats.takeProblems()) {
      engine.audit().emit(problem[0], Attributes.of(
          dev.osapimonitor.processors.engine.AuditLog.ERROR, problem[1]), problem[1], true);
    }
  }

  static synchronized OsApiEngine engine() {
    return engine;
  }

  static synchronized ProcessIdentity identity() {
    if (identity == null) {
      identity = ProcessIdentity.current();
    }
    return identity;
  }

  static synchronized OsApiConfig config() {
    return config;
  }
}
