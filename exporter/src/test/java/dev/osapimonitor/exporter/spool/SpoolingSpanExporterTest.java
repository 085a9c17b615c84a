package dev.osapimonitor.exporter.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.osapimonitor.exporter.TestSpans;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool in front of the SDK's real OTLP/HTTP exporter, against a backend that misbehaves on demand. */
class SpoolingSpanExporterTest {

  @TempDir Path dir;

  private static OtlpHttpSpanExporter otlp(FlakyBackend backend) {
    // The SDK's own retries are off here so that the spool's behaviour is what is measured.
    return OtlpHttpSpanExporter.builder()
        .setEndpoint(backend.endpoint())
        .setTimeout(Duration.ofSeconds(2))
        .setRetryPolicy(null)
        .build();
  }

  private static List<String> ids(List<SpanData> spans) {
    return spans.stream().map(s -> s.getSpanContext().getSpanId()).collect(Collectors.toList());
  }

  @Test
  void whileTheBackendRefusesBatchesAreSpooledAndDeliveredWhenItRecovers() throws Exception {
    try (FlakyBackend backend = new FlakyBackend()) {
      SpoolingSpanExporter exporter =
          SpoolingSpanExporter.builder(otlp(backend))
              .setDirectory(dir.resolve("spool"))
              .setBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
              .build();
      List<SpanData> first = TestSpans.make(3);
      List<SpanData> second = TestSpans.make(2);
      backend.answer(503, "1");
      assertThat(exporter.export(first).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(exporter.export(second).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(backend.spanIds).isEmpty();
      assertThat(exporter.spool().spans()).isEqualTo(5);
      await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests.get() > 0); // tried, and refused
      backend.answer(429, "1");
      Thread.sleep(300);
      assertThat(backend.spanIds).isEmpty();
      backend.answer(200, null);
      await().atMost(Duration.ofSeconds(10)).until(() -> backend.spanIds.size() == 5);
      // Both spooled batches, each span once (they go out together in one request once the backend is back).
      assertThat(backend.spanIds).containsExactlyInAnyOrderElementsOf(
          java.util.stream.Stream.concat(ids(first).stream(), ids(second).stream()).collect(Collectors.toList()));
      await().atMost(Duration.ofSeconds(5)).until(() -> exporter.spool().isEmpty());
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anUnreachableBackendSpoolsAndAKillLeavesTheSpoolForTheNextStart() throws Exception {
    Path spoolDir = dir.resolve("spool");
    List<SpanData> spans = TestSpans.make(4);
    int deadPort;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      deadPort = probe.getLocalPort();
    }
    SpoolingSpanExporter before =
        SpoolingSpanExporter.builder(
                OtlpHttpSpanExporter.builder()
                    .setEndpoint("http://127.0.0.1:" + deadPort + "/v1/traces")
                    .setRetryPolicy(null)
                    .build())
            .setDirectory(spoolDir)
            .setBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10))
            .build();
    assertThat(before.export(spans).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(before.spool().spans()).isEqualTo(4);
    // The process dies: nothing more is delivered, the spool file stays as it is (what a kill -9 leaves behind).
    before.abandon();

    try (FlakyBackend backend = new FlakyBackend()) {
      SpoolingSpanExporter after =
          SpoolingSpanExporter.builder(otlp(backend)).setDirectory(spoolDir)
              .setBackoff(Duration.ofMillis(50), Duration.ofMillis(100)).build();
      await().atMost(Duration.ofSeconds(10)).until(() -> backend.spanIds.size() == 4);
      assertThat(backend.spanIds).containsExactlyElementsOf(ids(spans));
      after.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aBatchTheBackendRejectsAsInvalidIsCountedNotRetried() throws Exception {
    try (FlakyBackend backend = new FlakyBackend()) {
      SpoolingSpanExporter exporter =
          SpoolingSpanExporter.builder(otlp(backend)).setDirectory(dir.resolve("spool")).build();
      backend.answer(400, null);
      long rejected = SpoolStats.rejected();
      // Written ahead to the spool (so the caller sees success); the worker finds the batch invalid and drops it.
      CompletableResultCode result = exporter.export(TestSpans.make(2)).join(10, TimeUnit.SECONDS);
      assertThat(result.isSuccess()).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> SpoolStats.rejected() - rejected == 2);
      assertThat(exporter.spool().isEmpty()).isTrue();
      int requests = backend.requests.get();
      Thread.sleep(300);
      assertThat(backend.requests.get()).isEqualTo(requests);
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aReadOnlySpoolDirectoryFallsBackToABoundedMemoryBacklog() throws Exception {
    Path readOnly = Files.createDirectory(dir.resolve("ro"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-x------"));
    boolean root = "root".equals(System.getProperty("user.name"));
    try (FlakyBackend backend = new FlakyBackend()) {
      backend.answer(503, null);
      byte[] one = SpanCodec.encode(TestSpans.make(5));
      SpoolingSpanExporter exporter =
          SpoolingSpanExporter.builder(otlp(backend))
              // root ignores directory permissions: point at a path below a regular file instead
              .setDirectory(root ? Files.createFile(dir.resolve("not-a-dir")).resolve("spool") : readOnly.resolve("s"))
              .setMemoryMaxBytes(one.length * 2L + 100)
              .setBackoff(Duration.ofMillis(50), Duration.ofMillis(100))
              .build();
      assertThat(exporter.spool()).isNull();
      long dropped = SpoolStats.dropped();
      for (int i = 0; i < 4; i++) {
        assertThat(exporter.export(TestSpans.make(5)).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      assertThat(SpoolStats.dropped() - dropped).isEqualTo(10);
      backend.answer(200, null);
      await().atMost(Duration.ofSeconds(10)).until(() -> backend.spanIds.size() == 10);
      assertThat(SpoolStats.takeProblems()).anySatisfy(p -> assertThat(p[0]).isEqualTo("spool.unavailable"));
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theMemoryBacklogNeverEvictsTheBatchBeingSentSoDroppedAndDeliveredAddUp() throws Exception {
    Path notADir = Files.createFile(dir.resolve("file"));
    try (FlakyBackend backend = new FlakyBackend()) {
      backend.answer(503, null);
      byte[] one = SpanCodec.encode(TestSpans.make(5));
      SpoolingSpanExporter exporter =
          SpoolingSpanExporter.builder(otlp(backend))
              .setDirectory(notADir.resolve("spool")) // unusable for anyone, root included: memory only
              .setMemoryMaxBytes(one.length * 2L + 100)
              .setBackoff(Duration.ofMillis(50), Duration.ofMillis(100))
              .build();
      List<SpanData> first = TestSpans.make(5);
      assertThat(exporter.export(first).join(10, TimeUnit.SECONDS).isSuccess()).isTrue(); // refused: in memory
      // The worker's next attempt is held in flight by the backend, which then accepts.
      CountDownLatch release = new CountDownLatch(1);
      backend.hold = release;
      backend.answer(200, null);
      assertThat(backend.arrived.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
      long dropped = SpoolStats.dropped();
      List<SpanData> second = TestSpans.make(5);
      List<SpanData> third = TestSpans.make(5);
      assertThat(exporter.export(second).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(exporter.export(third).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      // Room for the third was made by dropping the second, not the first (which is being sent).
      assertThat(SpoolStats.dropped() - dropped).isEqualTo(5);
      backend.hold = null;
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> backend.spanIds.size() >= 10);
      Thread.sleep(300);
      assertThat(backend.spanIds).containsExactlyInAnyOrderElementsOf(
          java.util.stream.Stream.concat(ids(first).stream(), ids(third).stream()).collect(Collectors.toList()));
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
