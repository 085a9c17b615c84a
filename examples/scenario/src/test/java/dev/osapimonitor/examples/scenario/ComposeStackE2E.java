package dev.osapimonitor.examples.scenario;

import static dev.osapimonitor.examples.scenario.DeployFiles.at;
import static dev.osapimonitor.examples.scenario.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.osapimonitor.extension.e2e.Jaeger;
import dev.osapimonitor.extension.e2e.JaegerTrace;
import dev.osapimonitor.extension.it.GrpcOtlpReceiver;
import dev.osapimonitor.extension.it.ReceivedSpan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;

/**
 * deploy/otel/docker-compose.yaml without Docker: the same configuration files, the same commands and environment,
 * as processes on loopback. Jaeger runs jaeger-compose.yaml; the OpenTelemetry Collector's pipeline (collector.yaml,
 * tail sampling included) runs in a second Jaeger v2 binary; Tempo is replaced by an OTLP/gRPC receiver that decodes
 * what the collector sends it; the plant HMI is started from the compose service's command and environment, its
 * container paths mapped to the files compose mounts. Host names become loopback ports; the HMI's fixed ports become
 * free ones. Then the scenario runs and the incident must arrive, whole, in both backends.
 */
class ComposeStackE2E {

  @TempDir Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void theComposeStackCarriesTheIncidentToJaegerAndTempo() throws Exception {
    DeployFiles files = new DeployFiles();
    Files.createDirectories(dir.resolve("jaeger"));
    Files.createDirectories(dir.resolve("collector"));
    String jaegerYaml =
        Files.readString(files.hostPath("jaeger", files.command("jaeger").get(1)), StandardCharsets.UTF_8)
            .replace("0.0.0.0:", "127.0.0.1:");
    try (Jaeger jaeger = Jaeger.start(jaegerYaml, dir.resolve("jaeger"));
        GrpcOtlpReceiver tempo = new GrpcOtlpReceiver()) {

      Map<String, Object> collector = files.configOf("otel-collector");
      Map<String, Object> exporters = map(collector.get("exporters"), "exporters");
      ((Map<String, Object>) exporters.get("otlp/jaeger")).put("endpoint", "127.0.0.1:" + jaeger.otlpGrpc);
      ((Map<String, Object>) exporters.get("otlp/tempo")).put("endpoint", "127.0.0.1:" + tempo.port());
      // The same policies; a shorter wait so the test does not sit idle.
      ((Map<String, Object>) at(collector, "processors", "tail_sampling")).put("decision_wait", "2s");
      // A health endpoint, so the test knows when the pipeline is up (the helper rewrites the ports).
      collector.put("extensions",
          Map.of("healthcheckv2", Map.of("use_v2", true, "http", Map.of("endpoint", "127.0.0.1:13133"))));
      ((Map<String, Object>) collector.get("service")).put("extensions", List.of("healthcheckv2"));
      String collectorYaml =
          new Dump(DumpSettings.builder().build()).dumpToString(collector).replace("0.0.0.0:", "127.0.0.1:");

      try (Jaeger otelCollector = Jaeger.start(collectorYaml, dir.resolve("collector"))) {
        Process hmi = startHmiAsComposeDoes(files, otelCollector);
        try {
          String url = await().atMost(Duration.ofSeconds(60)).until(this::listening, u -> u != null);
          Scenario scenario = new Scenario(url);
          scenario.waitForHealth();
          scenario.benign();
          scenario.incident();
        } finally {
          hmi.destroy();
          assertThat(hmi.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(dir.resolve("hmi.err"))).doesNotContain("osapi-monitor: policy refused");

        JaegerTrace incident =
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> jaeger.traces("plant-hmi", "GET /diagnostics", null), t -> !t.isEmpty())
                .get(0);
        JaegerTrace.JSpan root = incident.named("GET /diagnostics").get(0);
        assertThat(root.parentSpanId()).isEmpty();
        List<String> chain = new ArrayList<>();
        incident.spans.stream()
            .filter(s -> s.tags().containsKey("osapi.family"))
            .sorted((a, b) -> Long.compare(a.startTime(), b.startTime()))
            .forEach(s -> {
              assertThat(s.parentSpanId()).as(s.operation() + " under the request").isEqualTo(root.spanId());
              chain.add(s.operation() + ("true".equals(s.tag("osapi.lookback")) ? " (look-back)" : ""));
            });
        assertThat(chain)
            .containsSubsequence("file.open (look-back)", "process.exec", "file.open", "network.connect", "native.load");
        // The process identity compose's environment gives the service reaches the backend.
        assertThat(root.process()).containsKey("process.pid");

        // Tail sampling: the benign shift (nothing captured) is not stored; the audit trail is.
        assertThat(jaeger.traces("plant-hmi", "GET /tags/history", null)).isEmpty();
        assertThat(jaeger.traces("plant-hmi", "POST /maintenance/backup", null)).isEmpty();
        assertThat(jaeger.traces("plant-hmi", "osapi.audit policy.load", null)).hasSize(1);

        // Tempo gets the same incident trace, span for span.
        await().atMost(Duration.ofSeconds(30)).until(
            () -> tempo.spans(s -> s.traceId().equals(incident.traceId)).size() == incident.spans.size());
        assertThat(tempo.spans(s -> s.name().equals("GET /tags/history"))).isEmpty();

        // Every span attribute the Grafana dashboard queries is one the stack actually stored.
        Set<String> stored = new TreeSet<>();
        for (JaegerTrace t : jaeger.traces("plant-hmi", null, null)) {
          t.spans.forEach(s -> stored.addAll(s.tags().keySet()));
        }
        for (ReceivedSpan s : tempo.spans()) {
          stored.addAll(s.attributes().keySet());
        }
        Set<String> queried = DeployConfigTest.dashboardAttributes(files);
        assertThat(queried).contains("osapi.family", "osapi.capture.window_id", "osapi.audit.event");
        assertThat(stored).containsAll(queried);
      }
    }
  }

  /** The plant-hmi service of docker-compose.yaml, as a process: its command, its environment, its mounts. */
  private Process startHmiAsComposeDoes(DeployFiles files, Jaeger otelCollector) throws IOException {
    List<String> command = new ArrayList<>();
    String javaHome = System.getProperty("osapi.it.javaHome");
    if (javaHome == null || javaHome.isBlank()) {
      javaHome = System.getProperty("java.home");
    }
    List<String> composed = files.command("plant-hmi");
    assertThat(composed.get(0)).isEqualTo("java");
    command.add(Paths.get(javaHome, "bin", "java").toString());
    for (int i = 1; i < composed.size(); i++) {
      String arg = composed.get(i);
      String previous = composed.get(i - 1);
      if (previous.equals("--port") || previous.equals("--plc-port")) {
        arg = "0"; // published on fixed host ports in compose; free ones here
      } else if (previous.equals("--data")) {
        arg = dir.resolve("plant-data").toString(); // the container's own file system in compose
      } else if (arg.startsWith("-javaagent:")) {
        arg = "-javaagent:" + mounted(files, arg.substring("-javaagent:".length()));
      } else if (arg.startsWith("/")) {
        arg = mounted(files, arg);
      }
      command.add(arg);
    }
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    String path = env.get("PATH");
    env.clear(); // a container starts with the image's environment and compose's, nothing inherited
    env.put("PATH", path);
    Map<String, String> composeEnv = new LinkedHashMap<>(files.environment("plant-hmi"));
    DeployFiles.Endpoint collector = DeployFiles.endpoint(composeEnv.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
    assertThat(collector.port()).isEqualTo(4317); // the port the collector's grpc receiver has in collector.yaml
    composeEnv.put("OTEL_EXPORTER_OTLP_ENDPOINT", otelCollector.grpcEndpoint());
    composeEnv.put("OTEL_INSTRUMENTATION_OSAPI_POLICY",
        mounted(files, composeEnv.get("OTEL_INSTRUMENTATION_OSAPI_POLICY")));
    composeEnv.put("OTEL_INSTRUMENTATION_OSAPI_EXPORTER_SPOOL_DIR", dir.resolve("volume/spool").toString());
    env.putAll(composeEnv);
    return pb.redirectOutput(dir.resolve("hmi.out").toFile()).redirectError(dir.resolve("hmi.err").toFile()).start();
  }

  private static String mounted(DeployFiles files, String containerPath) {
    Path host = files.hostPath("plant-hmi", containerPath);
    assertThat(host).as(containerPath + " is mounted").isNotNull();
    return host.toString();
  }

  private String listening() throws IOException {
    Path out = dir.resolve("hmi.out");
    if (!Files.exists(out)) {
      return null;
    }
    for (String line : Files.readAllLines(out)) {
      if (line.startsWith("plant-hmi listening on ")) {
        return line.substring("plant-hmi listening on ".length()).split(" ")[0];
      }
    }
    return null;
  }
}
