package dev.osapimonitor.extension.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.extension.it.OtlpReceiver.Refusal;
import dev.osapimonitor.extension.it.apps.PacedFileWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export pipeline under a misbehaving backend, through the real agent: a workload captures file reads at a
 * steady rate while the receiver refuses (gRPC UNAVAILABLE, HTTP 503/429 with Retry-After), answers slowly, or
 * has its connections reset mid-request; and with a spool directory that cannot be used. Counted: the calls the
 * application made against the distinct spans the receiver got. Nothing may be lost, and everything must arrive
 * within 60 s of the backend's recovery. Each test prints a {@code FIGURE} line (docs/reliability.md).
 */
class FaultInjectionIT {

  @TempDir Path dir;

  record Outcome(long calls, long unique, long duplicates, double secondsAfterRecovery) {}

  private Outcome run(OtlpReceiver receiver, String endpoint, String protocol, Path spool, int rate, int seconds,
      String name) throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    ChildJvm.Result result =
        ChildJvm.of(PacedFileWorkload.class)
            .examplePolicy("capture-all.yaml")
            .property("otel.traces.exporter", "otlp")
            .property("otel.exporter.otlp.traces.protocol", protocol)
            .property("otel.exporter.otlp.traces.endpoint",
                protocol.equals("grpc") ? endpoint : endpoint + "/v1/traces")
            .property("otel.instrumentation.osapi.exporter.spool.dir", spool.toString())
            .args(work.toString(), String.valueOf(rate), String.valueOf(seconds))
            .timeoutSeconds(seconds + 120L)
            .run();
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    if (Boolean.getBoolean("osapi.it.debug")) {
      System.out.println("CHILD STDERR " + name + ":\n" + result.stderr());
      if (Files.isDirectory(spool)) {
        try (dev.osapimonitor.exporter.spool.SpanSpool left = new dev.osapimonitor.exporter.spool.SpanSpool(spool, 1 << 30)) {
          System.out.println("SPOOL left " + left.spans() + " spans in " + left.batches() + " batches");
        }
      }
    }
    long calls = Long.parseLong(result.lines().stream().filter(l -> l.startsWith("calls ")).findFirst().orElseThrow()
        .substring("calls ".length()).trim());
    String path = work.resolve("paced.txt").toString();
    // Whatever was still spooled when the process exited would go out at its next start; within the bound of this
    // test everything must already be there.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<ReceivedSpan> reads;
    do {
      reads = receiver.spans(s -> path.equals(s.string("file.path")) && "read".equals(s.string("osapi.file.mode")));
      if (distinct(reads) >= calls) {
        break;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    long unique = distinct(reads);
    long recovered = receiver.lastRefusedNanos();
    double after = recovered == 0 ? 0 : Math.max(0, (receiver.lastAcceptedNanos() - recovered) / 1e9);
    Outcome o = new Outcome(calls, unique, reads.size() - unique, after);
    System.out.printf(Locale.ROOT,
        "FIGURE fault=%s calls=%d received=%d lost=%d duplicates=%d refused=%d delivered_after_recovery_s=%.1f%n",
        name, calls, unique, calls - unique, o.duplicates(), receiver.refusedCount(), after);
    return o;
  }

  private static long distinct(List<ReceivedSpan> spans) {
    Set<String> ids = new HashSet<>();
    spans.forEach(s -> ids.add(s.spanId()));
    return ids.size();
  }

  private static void assertNothingLost(Outcome o) {
    assertThat(o.calls()).isGreaterThan(100);
    assertThat(o.unique()).as("spans received of " + o.calls() + " made").isEqualTo(o.calls());
    assertThat(o.secondsAfterRecovery()).as("seconds from recovery to the last delivery").isLessThanOrEqualTo(60);
  }

  @Test
  void grpcUnavailableForFiveSeconds() throws Exception {
    try (GrpcOtlpReceiver receiver = new GrpcOtlpReceiver()) {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8); // the child's start-up takes ~3 s of it
      receiver.setFault(n -> System.nanoTime() < until ? Refusal.status(503) : null);
      Outcome o = run(receiver, receiver.endpoint(), "grpc", dir.resolve("spool"), 200, 10, "grpc-unavailable");
      assertThat(receiver.refusedCount()).isGreaterThan(0);
      assertNothingLost(o);
      assertThat(o.duplicates()).isZero();
    }
  }

  @Test
  void http503And429WithRetryAfter() throws Exception {
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      receiver.setFault(n -> n <= 4 ? new Refusal(503, 2, 0) : n <= 7 ? new Refusal(429, 1, 0) : null);
      Outcome o = run(receiver, receiver.endpoint(), "http/protobuf", dir.resolve("spool"), 200, 10, "http-503-429");
      assertThat(receiver.refusedCount()).isEqualTo(7);
      assertNothingLost(o);
      assertThat(o.duplicates()).isZero();
    }
  }

  @Test
  void aSlowBackend() throws Exception {
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      // Every one of the first six requests takes 2 s to be answered (then is accepted).
      receiver.setFault(n -> n <= 6 ? Refusal.delay(2000) : null);
      Outcome o = run(receiver, receiver.endpoint(), "http/protobuf", dir.resolve("spool"), 200, 10, "slow-2s");
      assertNothingLost(o);
      assertThat(o.duplicates()).isZero();
    }
  }

  @Test
  void connectionsResetMidRequest() throws Exception {
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver();
        ResettingProxy proxy = new ResettingProxy(receiver.port(), 4)) {
      Outcome o = run(receiver, proxy.endpoint(), "http/protobuf", dir.resolve("spool"), 200, 10, "resets");
      assertThat(proxy.resetCount()).isGreaterThan(0);
      assertNothingLost(o);
      assertThat(o.duplicates()).isZero();
    }
  }

  /**
   * Long (about 7 minutes): the backend is down for 5 minutes while the application captures 1000 calls/s. Run with
   * {@code mvn -B verify -pl extension -Dosapi.long=true -Dit.test=FaultInjectionIT#aFiveMinuteOutage -Dtest=NONE
   * -Dsurefire.failIfNoSpecifiedTests=false}.
   */
  @Test
  @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "osapi.long", matches = "true")
  void aFiveMinuteOutage() throws Exception {
    try (GrpcOtlpReceiver receiver = new GrpcOtlpReceiver()) {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(303); // the child starts in ~3 s
      receiver.setFault(n -> System.nanoTime() < until ? Refusal.status(503) : null);
      Outcome o = run(receiver, receiver.endpoint(), "grpc", dir.resolve("spool"), 1000, 330, "outage-5min-1k-per-s");
      assertNothingLost(o);
      assertThat(o.duplicates()).isZero();
    }
  }

  @Test
  void anUnusableSpoolDirectoryKeepsSpansInMemoryAndSaysSo() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("spool-is-a-file"), "not a directory");
    try (GrpcOtlpReceiver receiver = new GrpcOtlpReceiver()) {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(7);
      receiver.setFault(n -> System.nanoTime() < until ? Refusal.status(503) : null);
      Outcome o = run(receiver, receiver.endpoint(), "grpc", notADirectory, 200, 10, "spool-unusable");
      assertNothingLost(o);
      assertThat(receiver.named("osapi.audit spool.unavailable")).hasSize(1);
    }
  }
}
