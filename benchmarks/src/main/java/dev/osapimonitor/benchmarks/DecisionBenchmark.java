package dev.osapimonitor.benchmarks;

import dev.osapimonitor.bootstrap.OsApiCall;
import dev.osapimonitor.bootstrap.OsApiGate;
import dev.osapimonitor.bootstrap.OsApiOps;
import dev.osapimonitor.processors.engine.EngineClock;
import dev.osapimonitor.processors.engine.EngineOptions;
import dev.osapimonitor.processors.engine.OsApiEngine;
import dev.osapimonitor.processors.identity.ProcessIdentity;
import dev.osapimonitor.processors.policy.PolicyParser;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The policy decision for one file open, through the real gate and engine (no agent, no I/O): a policy of
 * {@code rules} rules — allow-list entries ({@code action: ignore}) for vendor directories, and one credential
 * trigger last, so that file opens are of interest to the gate as they are under the default policy. "match" opens a
 * path the last allow rule covers (a full scan, then ignored); "miss" opens a path no rule covers (a full scan, then
 * the unflagged path: counted and dropped).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecisionBenchmark {

  @Param({"10", "200"})
  public int rules;

  @Param({"match", "miss"})
  public String call;

  private OpenTelemetrySdk sdk;
  private String path;

  static String policy(int rules) {
    StringBuilder yaml = new StringBuilder("version: 1\nlookback: {enabled: false}\nrules:\n");
    for (int i = 0; i < rules - 1; i++) {
      yaml.append("  - {name: vendor-").append(i).append(", match: {family: file, path: \"/opt/vendor-").append(i)
          .append("/**\"}, action: ignore}\n");
    }
    yaml.append("  - {name: credential-read, match: {family: file, path: \"**/*credential*\"}, action: trigger,")
        .append(" trigger: {ttl: 1m}}\n");
    return yaml.toString();
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build()).build();
    OsApiEngine engine =
        new OsApiEngine(new EngineOptions(EngineClock.system(), ProcessIdentity.current(), EngineOptions.FAULT_NONE));
    engine.applyPolicy(PolicyParser.parse(policy(rules), "decision-benchmark.yaml"), "policy.load", "benchmark");
    engine.start(sdk);
    if ((OsApiGate.interest() & (1L << OsApiOps.FILE_OPEN)) == 0) {
      throw new IllegalStateException("file opens are not of interest: the benchmark would measure nothing");
    }
    path = call.equals("match") ? "/opt/vendor-" + (rules - 2) + "/lib/driver.jar" : "/srv/historian/data/t1.csv";
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    OsApiGate.install(null, 0);
    sdk.close();
  }

  @Benchmark
  public OsApiCall decide() {
    OsApiCall c = OsApiGate.enter(OsApiOps.FILE_OPEN, path, null, OsApiOps.MODE_READ);
    OsApiGate.exit(c, null, 0, null);
    return c;
  }
}
