package dev.osapimonitor.examples.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.osapimonitor.extension.it.ChildJvm;
import dev.osapimonitor.extension.it.GrpcOtlpReceiver;
import dev.osapimonitor.extension.it.ReceivedSpan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example end to end: the plant HMI under the agent with examples/policies/default.yaml, exporting OTLP/gRPC.
 * The benign shift exports no API span and no capture; the intrusion is one trace rooted at the malicious request,
 * the chain in order — look-back config read, shell (the trigger), credential read, upload connection, native
 * library load.
 */
class ScenarioIT {

  @TempDir Path dir;

  @Test
  void benignShiftExportsNothingButAuditEventsAndTheIntrusionIsOneTrace() throws Exception {
    try (GrpcOtlpReceiver receiver = new GrpcOtlpReceiver()) {
      Process hmi =
          ChildJvm.ofJar(System.getProperty("osapi.example.hmiJar"))
              .examplePolicy("default.yaml")
              .property("otel.service.name", "plant-hmi")
              .exportTo(receiver)
              .property("otel.instrumentation.osapi.exporter.spool.dir", dir.resolve("spool").toString())
              .args("--port", "0", "--plc-port", "0", "--data", dir.resolve("plant-data").toString())
              .start(dir.resolve("hmi.out"), dir.resolve("hmi.err"));
      try {
        String url =
            await().atMost(Duration.ofSeconds(60)).until(() -> listening(dir.resolve("hmi.out")), u -> u != null);
        Scenario scenario = new Scenario(url);
        scenario.waitForHealth();
        scenario.benign();
        // Let the batch processor ship what the shift produced, then look.
        await().atMost(Duration.ofSeconds(20)).until(
            () -> receiver.spans(s -> s.name().equals("POST /maintenance/backup")).size() == 1);
        Thread.sleep(500);
        List<ReceivedSpan> afterBenign = receiver.spans();
        assertThat(afterBenign.stream().filter(s -> s.attributes().containsKey("osapi.family")))
            .as("API spans in the benign shift").isEmpty();
        assertThat(afterBenign.stream().filter(s -> s.name().startsWith("osapi.capture"))).isEmpty();
        assertThat(afterBenign.stream().filter(s -> s.name().startsWith("osapi."))
            .map(ReceivedSpan::name))
            .allSatisfy(name -> assertThat(name).startsWith("osapi.audit "));

        scenario.incident();
      } finally {
        hmi.destroy(); // SIGTERM: the agent flushes on exit
        assertThat(hmi.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }

      List<ReceivedSpan> spans = receiver.spans();
      ReceivedSpan root =
          spans.stream().filter(s -> s.name().equals("GET /diagnostics")).findFirst().orElseThrow();
      assertThat(root.kind().name()).isEqualTo("SPAN_KIND_SERVER");
      assertThat(root.parentSpanId()).isEmpty();
      List<ReceivedSpan> trace =
          spans.stream()
              .filter(s -> s.traceId().equals(root.traceId()) && s.attributes().containsKey("osapi.family"))
              .sorted(Comparator.comparingLong(ReceivedSpan::startNanos))
              .collect(Collectors.toList());
      List<String> chain = new ArrayList<>();
      for (ReceivedSpan s : trace) {
        assertThat(s.parentSpanId()).as(s.name() + " sits under the request").isEqualTo(root.spanId());
        chain.add(s.name() + (Boolean.TRUE.equals(s.attribute("osapi.lookback")) ? " (look-back)" : "")
            + ("trigger".equals(s.string("osapi.capture.kind")) && s.attributes().containsKey("osapi.rule")
                ? " [trigger " + s.string("osapi.rule") + "]" : ""));
      }
      assertThat(chain)
          .containsSubsequence(
              "file.open (look-back)",
              "process.exec [trigger shell-spawned]",
              "file.open [trigger credential-file-read-by-web-tier]",
              "network.connect",
              "native.load");
      Map<String, ReceivedSpan> byName =
          trace.stream().collect(Collectors.toMap(ReceivedSpan::name, s -> s, (a, b) -> a));
      assertThat(trace.get(0).string("file.path")).endsWith("/config/diagnostics.conf");
      assertThat(byName.get("process.exec").string("process.command_line")).startsWith("/bin/sh -c echo diagnostics");
      assertThat(trace.stream().filter(s -> String.valueOf(s.string("file.path")).endsWith("plc-credentials.properties")))
          .hasSize(1);
      assertThat(byName.get("native.load").string("file.path")).endsWith("/plugins/libcodec.so");
      assertThat(byName.get("process.exec").linkedSpanIds()).contains(trace.get(0).spanId());
    }
  }

  private static String listening(Path out) throws Exception {
    for (String line : Files.readAllLines(out)) {
      if (line.startsWith("plant-hmi listening on ")) {
        return line.substring("plant-hmi listening on ".length()).split(" ")[0];
      }
    }
    return null;
  }
}
