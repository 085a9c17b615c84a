package dev.osapimonitor.extension.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.osapimonitor.extension.e2e.JaegerTrace.JSpan;
import dev.osapimonitor.extension.it.ChildJvm;
import dev.osapimonitor.extension.it.apps.IdleWorkload;
import dev.osapimonitor.extension.it.apps.TriggerWorkload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM under the agent and the extension exports to a real Jaeger over OTLP gRPC and HTTP; the test reads the
 * traces back through Jaeger's query API: request span → API spans, the trigger's look-back and links, the capture
 * root of calls outside requests, process and user tags, the capture-window id found by tag search.
 */
class JaegerExportE2E {

  @TempDir static Path dir;
  static Jaeger jaeger;

  @BeforeAll
  static void startJaeger() throws Exception {
    jaeger = Jaeger.start(Jaeger.shippedConfig("jaeger.yaml"), dir);
  }

  @AfterAll
  static void stopJaeger() throws Exception {
    jaeger.stop();
  }

  private static ChildJvm exportingTo(ChildJvm child, String protocol, String service) {
    return child
        .property("otel.service.name", service)
        .property("otel.traces.exporter", "otlp")
        .property("otel.exporter.otlp.traces.protocol", protocol)
        .property("otel.exporter.otlp.traces.endpoint",
            protocol.equals("grpc") ? jaeger.grpcEndpoint() : jaeger.httpEndpoint())
        .property("otel.instrumentation.osapi.exporter.spool.dir", dir.resolve("spool-" + service).toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http/protobuf"})
  void theIncidentTraceIsOneStoryInJaeger(String protocol) throws Exception {
    String service = "osapi-e2e-trigger-" + protocol.replace('/', '-');
    ChildJvm.Result r =
        exportingTo(ChildJvm.of(TriggerWorkload.class).examplePolicy("default.yaml"), protocol, service)
            .args(dir.toString())
            .run();
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    String traceId =
        r.lines().stream().filter(l -> l.startsWith("malicious ")).findFirst().orElseThrow().split(" ")[1];
    String requestSpanId =
        r.lines().stream().filter(l -> l.startsWith("malicious ")).findFirst().orElseThrow().split(" ")[2];

    JaegerTrace trace = await().atMost(Duration.ofSeconds(30)).until(() -> jaeger.trace(traceId),
        t -> t != null && t.named("file.open").size() == 2 && !t.named("process.exec").isEmpty());
    JSpan request = trace.byId(requestSpanId);
    assertThat(request.operation()).isEqualTo("POST /diagnostics");
    JSpan exec = trace.named("process.exec").get(0);
    assertThat(exec.parentSpanId()).isEqualTo(requestSpanId);
    assertThat(exec.tag("osapi.capture.kind")).isEqualTo("trigger");
    JSpan lookback =
        trace.named("file.open").stream().filter(s -> "true".equals(s.tag("osapi.lookback"))).findFirst()
            .orElseThrow();
    assertThat(lookback.parentSpanId()).isEqualTo(requestSpanId);
    assertThat(lookback.followsFrom()).contains(exec.spanId());
    assertThat(exec.followsFrom()).contains(lookback.spanId());
    // Process and user identity on the process of every API span.
    assertThat(String.valueOf(exec.process().get("process.pid"))).isEqualTo(String.valueOf(r.pid()));
    assertThat(exec.process())
        .containsEntry("process.owner", System.getProperty("user.name"))
        .containsKeys("process.parent_pid", "process.user.id", "host.name", "process.command_line");
    // The window id is searchable by tag, and finds exactly this trace.
    String windowId = exec.tag("osapi.capture.window_id");
    List<JaegerTrace> found =
        jaeger.traces(service, null, "{\"osapi.capture.window_id\":\"" + windowId + "\"}");
    // The incident trace, and the audit event of the trigger that opened the window (a trace of its own).
    assertThat(found).extracting(t -> t.traceId).contains(traceId).hasSize(2);
    assertThat(found.stream().filter(t -> !t.traceId.equals(traceId)).findFirst().orElseThrow().spans)
        .extracting(JSpan::operation)
        .containsExactly("osapi.audit trigger.fire");
    // Audit events travel the same path.
    assertThat(jaeger.traces(service, "osapi.audit trigger.fire", null)).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http/protobuf"})
  void callsOutsideRequestsAreGroupedUnderTheCaptureRoot(String protocol) throws Exception {
    String service = "osapi-e2e-root-" + protocol.replace('/', '-');
    ChildJvm.Result r =
        exportingTo(ChildJvm.of(IdleWorkload.class).examplePolicy("capture-all.yaml"), protocol, service)
            .args("1000")
            .run();
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    List<JaegerTrace> traces =
        await().atMost(Duration.ofSeconds(30)).until(
            () -> jaeger.traces(service, "osapi.capture capture-all", null), t -> !t.isEmpty());
    JaegerTrace window = traces.get(0);
    JSpan root = window.named("osapi.capture capture-all").get(0);
    assertThat(root.parentSpanId()).isEmpty();
    List<JSpan> reads =
        window.spans.stream().filter(s -> "/etc/hostname".equals(s.tag("file.path"))).toList();
    assertThat(reads).hasSizeGreaterThanOrEqualTo(4)
        .allSatisfy(s -> {
          assertThat(s.parentSpanId()).isEqualTo(root.spanId());
          assertThat(s.tag("osapi.capture.window_id")).isEqualTo(root.tag("osapi.capture.window_id"));
        });
  }
}
