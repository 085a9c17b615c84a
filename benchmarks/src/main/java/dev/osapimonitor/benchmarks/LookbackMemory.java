package dev.osapimonitor.benchmarks;

import dev.osapimonitor.bootstrap.OsApiGate;
import dev.osapimonitor.bootstrap.OsApiOps;
import dev.osapimonitor.processors.engine.EngineClock;
import dev.osapimonitor.processors.engine.EngineOptions;
import dev.osapimonitor.processors.engine.OsApiEngine;
import dev.osapimonitor.processors.identity.ProcessIdentity;
import dev.osapimonitor.processors.policy.PolicyParser;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.lang.management.ManagementFactory;

/**
 * Heap held by the look-back ring when full: {@code records} file opens recorded (distinct paths, made beforehand so
 * that only what the ring keeps is counted), heap used after GC compared before and after.
 */
final class LookbackMemory {

  record Result(int records, long bytes) {
    long perRecord() {
      return bytes / Math.max(1, records);
    }
  }

  static Result measure(int records) throws Exception {
    String policy =
        "version: 1\nlookback:\n  enabled: true\n  max_records: " + records + "\n  max_age: 1h\n"
            + "  match:\n    - family: file\nrules: []\n";
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build()).build();
    OsApiEngine engine =
        new OsApiEngine(new EngineOptions(EngineClock.system(), ProcessIdentity.current(), EngineOptions.FAULT_NONE));
    engine.applyPolicy(PolicyParser.parse(policy, "lookback-memory.yaml"), "policy.load", "benchmark");
    engine.start(sdk);
    try {
      String[] paths = new String[records];
      for (int i = 0; i < records; i++) {
        paths[i] = "/srv/historian/data/2026/12/03/tag-" + i + ".csv";
      }
      // Warm the path once (class loading, thread-locals) without filling the ring much.
      call(paths[0]);
      long before = usedAfterGc();
      for (String p : paths) {
        call(p);
      }
      long after = usedAfterGc();
      if (engine.lookbackSize() < records) {
        throw new IllegalStateException("the ring holds " + engine.lookbackSize() + " records, expected " + records);
      }
      // Keep the paths reachable until after the measurement: they belong to the application, not to the ring.
      if (paths.length != records) {
        throw new AssertionError();
      }
      return new Result(records, after - before);
    } finally {
      OsApiGate.install(null, 0);
      sdk.close();
    }
  }

  private static void call(String path) {
    OsApiGate.exit(OsApiGate.enter(OsApiOps.FILE_OPEN, path, null, OsApiOps.MODE_READ), null, 0, null);
  }

  static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
