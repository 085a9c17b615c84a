package dev.osapimonitor.extension.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.osapimonitor.extension.it.ChildJvm;
import dev.osapimonitor.extension.it.apps.BurstWorkload;
import dev.osapimonitor.extension.it.apps.ControlledWorkload;
import dev.osapimonitor.extension.it.apps.IdleWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jaeger goes away while the application captures, and comes back: every span the application made is in Jaeger
 * afterwards, exactly once; also when the application is killed -9 during the outage and started again.
 */
class OutageE2E {

  @TempDir Path dir;

  /** Every span id of file.open spans on {@code path} in Jaeger, and how many ids appeared more than once. */
  private static int[] countReads(Jaeger jaeger, String service, String path) throws Exception {
    Set<String> ids = new HashSet<>();
    int duplicates = 0;
    for (JaegerTrace t : jaeger.traces(service, "file.open", null)) {
      for (JaegerTrace.JSpan s : t.named("file.open")) {
        if (path.equals(s.tag("file.path")) && "read".equals(s.tag("osapi.file.mode")) && !ids.add(s.spanId())) {
          duplicates++;
        }
      }
    }
    return new int[] {ids.size(), duplicates};
  }

  @Test
  void everySpanArrivesAfterJaegerComesBack() throws Exception {
    Jaeger jaeger = Jaeger.start(Jaeger.shippedConfig("jaeger-badger.yaml"), dir);
    Path control = Files.createDirectory(dir.resolve("control"));
    String service = "osapi-e2e-outage";
    Process app =
        ChildJvm.of(ControlledWorkload.class)
            .examplePolicy("capture-all.yaml")
            .property("otel.service.name", service)
            .property("otel.traces.exporter", "otlp")
            .property("otel.exporter.otlp.traces.protocol", "grpc")
            .property("otel.exporter.otlp.traces.endpoint", jaeger.grpcEndpoint())
            .property("otel.instrumentation.osapi.exporter.spool.dir", dir.resolve("spool").toString())
            .property("otel.instrumentation.osapi.exporter.retry.max-backoff", "2s")
            .args(control.toString())
            .start(dir.resolve("out.txt"), dir.resolve("err.txt"));
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(dir.resolve("out.txt")).contains("ready"));
      String tick = control.resolve("tick.txt").toString();
      Thread.sleep(2000);
      int beforeOutage = countReads(jaeger, service, tick)[0];
      jaeger.stop(); // the backend is down while the application keeps capturing (~20 calls/s)
      Thread.sleep(8000);
      jaeger.launch();
      long recovered = System.nanoTime();
      // What was made during the outage arrives while the application keeps running.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> countReads(jaeger, service, tick)[0] >= beforeOutage + 150);
      long deliveredAfter = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - recovered);
      Files.writeString(control.resolve("stop"), "");
      assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String out = Files.readString(dir.resolve("out.txt"));
      int made = Integer.parseInt(out.substring(out.indexOf("done ") + 5).trim());
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
          .alias("spans in Jaeger reach " + made)
          .until(() -> countReads(jaeger, service, tick)[0] >= made);
      int[] counted = countReads(jaeger, service, tick);
      assertThat(counted[0]).as("spans in Jaeger vs calls made").isEqualTo(made);
      assertThat(counted[1]).as("duplicates").isZero();
      assertThat(deliveredAfter).as("seconds from recovery to delivery").isLessThanOrEqualTo(60);
      assertThat(made).isGreaterThan(200);
    } finally {
      app.destroyForcibly();
      jaeger.stop();
    }
  }

  @Test
  void aKillDuringTheOutageLosesNothingOnceTheApplicationRestarts() throws Exception {
    Jaeger jaeger = Jaeger.start(Jaeger.shippedConfig("jaeger-badger.yaml"), dir);
    jaeger.stop(); // down from the start
    String service = "osapi-e2e-kill";
    Path spool = dir.resolve("spool");
    Path work = Files.createDirectory(dir.resolve("work"));
    ChildJvm first =
        ChildJvm.of(BurstWorkload.class)
            .examplePolicy("capture-all.yaml")
            .property("otel.service.name", service)
            .property("otel.traces.exporter", "otlp")
            .property("otel.exporter.otlp.traces.protocol", "http/protobuf")
            .property("otel.exporter.otlp.traces.endpoint", jaeger.httpEndpoint())
            .property("otel.instrumentation.osapi.exporter.spool.dir", spool.toString())
            .args(work.toString(), "300");
    Process app = first.start(dir.resolve("out1.txt"), dir.resolve("err1.txt"));
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(dir.resolve("out1.txt")).contains("made 300"));
      Thread.sleep(3000); // the batch processor hands everything to the exporter, which spools it
    } finally {
      app.destroyForcibly().waitFor(); // kill -9
    }
    jaeger.launch();
    try {
      ChildJvm.Result second =
          ChildJvm.of(IdleWorkload.class)
              .examplePolicy("default.yaml")
              .property("otel.service.name", service)
              .property("otel.traces.exporter", "otlp")
              .property("otel.exporter.otlp.traces.protocol", "http/protobuf")
              .property("otel.exporter.otlp.traces.endpoint", jaeger.httpEndpoint())
              .property("otel.instrumentation.osapi.exporter.spool.dir", spool.toString())
              .args("4000")
              .run();
      assertThat(second.exitCode()).as(second.stderr()).isZero();
      String burst = work.resolve("burst.txt").toString();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
          .until(() -> countReads(jaeger, service, burst)[0] >= 300);
      int[] counted = countReads(jaeger, service, burst);
      assertThat(counted[0]).isEqualTo(300);
      assertThat(counted[1]).as("duplicates").isZero();
    } finally {
      jaeger.stop();
    }
  }

}
