package dev.osapimonitor.extension;

import dev.osapimonitor.processors.engine.EngineClock;
import dev.osapimonitor.processors.engine.EngineOptions;
import dev.osapimonitor.processors.engine.EngineScheduler;
import dev.osapimonitor.processors.engine.OsApiEngine;
import dev.osapimonitor.processors.engine.PolicyWatcher;
import dev.osapimonitor.processors.identity.ProcessIdentity;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import java.nio.file.Paths;
import java.util.logging.Logger;

/**
 * The extension's one runtime-state holder: the engine, its policy watcher and scheduler, and the identity of this
 * JVM. Configured from the SDK's autoconfiguration (the earliest hook that sees the configuration), started by the
 * agent listener once the SDK exists and the instrumentation is installed.
 */
public final class OsApiRuntime {

  private static final Logger logger = Logger.getLogger(OsApiRuntime.class.getName());

  private static OsApiConfig config;
  private static ProcessIdentity identity;
  private static OsApiEngine engine;
  private static PolicyWatcher watcher;
  private static EngineScheduler scheduler;
  private static boolean started;

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
    if (config.policyFile() != null) {
      watcher = new PolicyWatcher(engine, Paths.get(config.policyFile()), config.requireSecureFiles());
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
    if (watcher != null) {
      scheduler.every(
          engine.policy().settings().reloadInterval().toMillis(), "policy reload", watcher::poll);
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
