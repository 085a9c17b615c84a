package dev.osapimonitor.benchmarks;

import dev.osapimonitor.bootstrap.OsApiGate;
import dev.osapimonitor.bootstrap.OsApiOps;
import dev.osapimonitor.processors.engine.EngineClock;
import dev.osapimonitor.processors.engine.EngineOptions;
import dev.osapimonitor.processors.engine.OsApiEngine;
import dev.osapimonitor.processors.identity.ProcessIdentity;
import dev.osapimonitor.processors.policy.PolicyParser;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
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
 * The engine's part of a captured call, without the agent and without I/O: one environment read through the gate
 * under a raised flag, ending in a span handed to a batch processor whose exporter discards. {@code caller} switches
 * the application-frame lookup (a stack walk) on or off, to show what it costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CaptureBenchmark {

  @Param({"true", "false"})
  public boolean caller;

  /** batch: the SDK's batch processor (a worker thread competes for the cores); simple: export on this thread. */
  @Param({"batch", "simple"})
  public String processor;

  private OpenTelemetrySdk sdk;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    SpanExporter discard = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(processor.equals("batch")
                ? BatchSpanProcessor.builder(discard).setMaxQueueSize(1 << 16).build()
                : SimpleSpanProcessor.create(discard))
            .build())
        .build();
    OsApiEngine engine =
        new OsApiEngine(new EngineOptions(EngineClock.system(), ProcessIdentity.current(), EngineOptions.FAULT_NONE));
    String policy = "version: 1\nflags: [{name: bench, reason: benchmark, owner: bench, expires: never}]\n"
        + "settings: {caller: {enabled: " + caller + "}, window_rollover: {max_spans: 1000000}}\n";
    engine.applyPolicy(PolicyParser.parse(policy, "capture-benchmark.yaml"), "policy.load", "benchmark");
    engine.start(sdk);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    OsApiGate.install(null, 0);
    sdk.close();
  }

  @Benchmark
  public void capturedEnvRead() {
    OsApiGate.exit(OsApiGate.enter(OsApiOps.ENV_READ, "HOME", null, 0), "/root", 0, null);
  }
}
