package dev.osapimonitor.processors.engine;

import dev.osapimonitor.bootstrap.OsApiGate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine's one background thread ({@code osapi-monitor-scheduler}, daemon): flag expiry and time windows every
 * second, policy and flag-file polling, dry-run reports. Its own file reads are never recorded: the thread is marked
 * internal in the gate before it runs anything.
 */
public final class EngineScheduler {

  private static final Logger logger = Logger.getLogger(EngineScheduler.class.getName());

  private final ScheduledExecutorService executor;
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

  public EngineScheduler() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread t =
                  new Thread(
                      () -> {
                        OsApiGate.markCurrentThreadInternal();
                        ThreadClassifier.markAgentThread();
                        runnable.run();
                      },
                      "osapi-monitor-scheduler");
              t.setDaemon(true);
              return t;
            });
  }

  public synchronized void every(long periodMillis, String what, Runnable task) {
    tasks.add(
        executor.scheduleWithFixedDelay(
            () -> {
              try {
                task.run();
              } catch (Throwable t) {
                // A failing task must not stop the others (or the thread).
                OsApiGate.countInternalError();
                logger.log(Level.WARNING, "osapi-monitor: " + what + " failed", t);
              }
            },
            periodMillis,
            periodMillis,
            TimeUnit.MILLISECONDS));
  }

  /** Runs a task once, after a delay, on the scheduler thread. */
  public void once(long delayMillis, String what, Runnable task) {
    executor.schedule(
        () -> {
          try {
            task.run();
          } catch (Throwable t) {
            OsApiGate.countInternalError();
            logger.log(Level.WARNING, "osapi-monitor: " + what + " failed", t);
          }
        },
        delayMillis,
        TimeUnit.MILLISECONDS);
  }

  public void shutdown() {
    executor.shutdownNow();
  }
}
