package dev.osapimonitor.extension.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.osapimonitor.extension.it.ChildJvm;
import dev.osapimonitor.extension.it.apps.TriggerWorkload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * deploy/otel/collector.yaml's receivers and processors, run in the Jaeger v2 binary (a collector distribution that
 * bundles tail_sampling) with Jaeger's storage as the exporter: traces with captured calls and audit events are
 * kept, ordinary application traces are dropped.
 */
class CollectorPipelineE2E {

  @TempDir Path dir;

  @SuppressWarnings("unchecked")
  static String jaegerRunningTheCollectorPipeline() throws Exception {
    Map<String, Object> collector =
        (Map<String, Object>)
            new Load(LoadSettings.builder().build())
                .loadFromString(
                    Files.readString(Paths.get(System.getProperty("osapi.e2e.deploy"), "collector.yaml"),
                        StandardCharsets.UTF_8));
    Map<String, Object> processors = (Map<String, Object>) collector.get("processors");
    // The same policies; a shorter wait so the test does not sit idle.
    ((Map<String, Object>) processors.get("tail_sampling")).put("decision_wait", "2s");
    List<Object> pipelineProcessors =
        (List<Object>)
            ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) collector.get("service"))
                .get("pipelines")).get("traces")).get("processors");

    Map<String, Object> jaeger =
        (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Jaeger.shippedConfig("jaeger.yaml"));
    jaeger.put("processors", processors);
    Map<String, Object> traces =
        (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) jaeger.get("service")).get("pipelines"))
            .get("traces");
    traces.put("processors", pipelineProcessors);
    Map<String, Object> out = new LinkedHashMap<>(jaeger);
    return new Dump(DumpSettings.builder().build()).dumpToString(out);
  }

  @Test
  void keepsCapturedTracesAndAuditEventsDropsTheRest() throws Exception {
    try (Jaeger jaeger = Jaeger.start(jaegerRunningTheCollectorPipeline(), dir)) {
      String service = "osapi-e2e-collector";
      ChildJvm.Result r =
          ChildJvm.of(TriggerWorkload.class)
              .examplePolicy("default.yaml")
              .property("otel.service.name", service)
              .property("otel.traces.exporter", "otlp")
              .property("otel.exporter.otlp.traces.protocol", "grpc")
              .property("otel.exporter.otlp.traces.endpoint", jaeger.grpcEndpoint())
              .property("otel.instrumentation.osapi.exporter.spool.dir", dir.resolve("spool").toString())
              .args(dir.toString())
              .run();
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      String traceId =
          r.lines().stream().filter(l -> l.startsWith("malicious ")).findFirst().orElseThrow().split(" ")[1];
      JaegerTrace incident =
          await().atMost(Duration.ofSeconds(30)).until(() -> jaeger.trace(traceId), t -> t != null);
      // Kept whole, the application's request span included.
      assertThat(incident.spans).extracting(JaegerTrace.JSpan::operation)
          .contains("POST /diagnostics", "process.exec", "file.open");
      await().atMost(Duration.ofSeconds(30))
          .until(() -> !jaeger.traces(service, "osapi.audit trigger.fire", null).isEmpty());
      assertThat(jaeger.traces(service, "osapi.audit policy.load", null)).hasSize(1);
      // The benign request had nothing captured: dropped by the collector's policies.
      Thread.sleep(3000);
      assertThat(jaeger.traces(service, "GET /status", null)).isEmpty();
    }
  }
}
