package dev.osapimonitor.extension.it;

import static dev.osapimonitor.extension.it.Spans.attr;
import static dev.osapimonitor.extension.it.Spans.named;
import static dev.osapimonitor.extension.it.Spans.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.osapimonitor.extension.it.apps.BenignWorkload;
import dev.osapimonitor.extension.it.apps.ControlledWorkload;
import dev.osapimonitor.extension.it.apps.JmxWorkload;
import dev.osapimonitor.extension.it.apps.TriggerWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy engine through the real agent: what each kind of condition exports, as decoded OTLP. */
class PolicyEngineIT {

  @TempDir Path dir;

  private Path policy(String yaml) throws Exception {
    Path file = dir.resolve("policy-" + System.nanoTime() + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static List<String> auditEvents(List<ReceivedSpan> spans) {
    return spans.stream()
        .filter(s -> s.name().startsWith("osapi.audit "))
        .map(s -> s.name().substring("osapi.audit ".length()))
        .toList();
  }

  @Test
  void underTheDefaultPolicyBenignWorkExportsNothingButAuditEvents() throws Exception {
    List<ReceivedSpan> spans;
    ChildJvm.Result result;
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      result =
          ChildJvm.of(BenignWorkload.class).examplePolicy("default.yaml").exportTo(receiver)
              .args(dir.toString()).run();
      spans = receiver.spans();
    }
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(spans.stream().filter(s -> s.attributes().containsKey("osapi.family"))).isEmpty();
    assertThat(spans.stream().filter(s -> s.name().startsWith("osapi.capture"))).isEmpty();
    assertThat(auditEvents(spans)).contains("policy.load").doesNotContain("trigger.fire", "flag.raise");
    // The application's own spans are untouched.
    assertThat(Spans.where(spans, named("GET /tags"))).hasSize(20);
  }

  @Test
  void aTriggerExportsTheLookBackFromBeforeItLinkedToIt() throws Exception {
    List<ReceivedSpan> spans;
    ChildJvm.Result result;
    try (GrpcOtlpReceiver receiver = new GrpcOtlpReceiver()) {
      result =
          ChildJvm.of(TriggerWorkload.class).examplePolicy("default.yaml").exportTo(receiver)
              .args(dir.toString()).run();
      spans = receiver.spans();
    }
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    String[] ids = result.lines().stream().filter(l -> l.startsWith("malicious ")).findFirst().orElseThrow()
        .split(" ");
    ReceivedSpan trigger = single(spans, named("process.exec"), "the shell start");
    assertThat(trigger.traceId()).isEqualTo(ids[1]);
    assertThat(trigger.parentSpanId()).isEqualTo(ids[2]);
    assertThat(trigger.attributes())
        .containsEntry("osapi.capture.kind", "trigger")
        .containsEntry("osapi.capture.reason", "shell-spawned")
        .containsEntry("osapi.rule", "shell-spawned")
        .containsEntry("osapi.trigger.lookback_spans", 1L);
    ReceivedSpan lookback =
        single(spans, named("file.open").and(attr("osapi.lookback", true)), "the config read before the shell");
    assertThat(lookback.string("file.path")).isEqualTo(dir.resolve("diagnostics.conf").toString());
    assertThat(lookback.traceId()).isEqualTo(ids[1]);
    assertThat(lookback.parentSpanId()).isEqualTo(ids[2]);
    assertThat(lookback.startNanos()).isLessThan(trigger.startNanos());
    assertThat(lookback.linkedSpanIds()).contains(trigger.spanId());
    assertThat(trigger.linkedSpanIds()).contains(lookback.spanId());
    // After the trigger, the rest of the request is captured; the benign request and the work outside are not.
    ReceivedSpan passwd = single(spans, named("file.open").and(attr("file.path", "/etc/passwd")), "passwd");
    assertThat(passwd.traceId()).isEqualTo(ids[1]);
    assertThat(passwd.string("osapi.capture.window_id")).isEqualTo(trigger.string("osapi.capture.window_id"));
    assertThat(Spans.where(spans, named("file.open").and(attr("file.path", "/etc/hostname")))).isEmpty();
    // The shell start, the read of its exit code, /etc/passwd, and the look-back read.
    assertThat(Spans.where(spans, s -> s.attributes().containsKey("osapi.family")))
        .extracting(ReceivedSpan::name)
        .containsExactlyInAnyOrder("file.open", "process.exec", "process.wait", "file.open");
    assertThat(lookback.attributes()).containsEntry("osapi.trigger.rule", "shell-spawned")
        .doesNotContainKey("threat.technique.id");
    ReceivedSpan fired = single(spans, named("osapi.audit trigger.fire"), "audit");
    assertThat(fired.attributes()).containsEntry("osapi.flag.scope", "trace:" + ids[1]);
  }

  @Test
  void aWindowCapturesOnlyWhileOpenWithInjectedTime() throws Exception {
    Path p =
        policy(
            "version: 1\nwindows:\n  - {name: sat-maintenance, reason: vendor, timezone: Europe/Berlin,"
                + " days: [SAT], start: '22:00', duration: 4h, scope: {families: [file]}}\n");
    for (String[] run : new String[][] {{"2026-12-05T22:15:00Z", "inside"}, {"2026-12-05T20:00:00Z", "before"}}) {
      List<ReceivedSpan> spans;
      try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
        ChildJvm.Result r =
            ChildJvm.of(dev.osapimonitor.extension.it.apps.IdleWorkload.class)
                .policy(p)
                .property("otel.instrumentation.osapi.testing.clock", run[0])
                .exportTo(receiver)
                .args("600")
                .run();
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        spans = receiver.spans();
      }
      List<ReceivedSpan> reads = Spans.where(spans, named("file.open").and(attr("file.path", "/etc/hostname")));
      if (run[1].equals("inside")) {
        assertThat(reads).isNotEmpty().allSatisfy(s -> assertThat(s.attributes())
            .containsEntry("osapi.capture.kind", "window")
            .containsEntry("osapi.capture.reason", "sat-maintenance"));
        assertThat(auditEvents(spans)).contains("window.open");
      } else {
        assertThat(reads).isEmpty();
        assertThat(auditEvents(spans)).doesNotContain("window.open");
      }
    }
  }

  @Test
  void aFlagFileRaisesAndExpiresWhileTheApplicationRuns() throws Exception {
    Path flags = Files.createDirectory(dir.resolve("flags"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path control = Files.createDirectory(dir.resolve("control"));
    Path p = policy("version: 1\nsettings:\n  flags_dir: " + flags + "\n  reload_interval: 200ms\n");
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      Process child =
          ChildJvm.of(ControlledWorkload.class).policy(p).exportTo(receiver).args(control.toString())
              .start(dir.resolve("out.txt"), dir.resolve("err.txt"));
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(dir.resolve("out.txt")).contains("ready"));
        Thread.sleep(500); // some unflagged reads first
        Files.writeString(flags.resolve("look-closer.flag"), "reason: SOC wants a closer look\nticket: INC-77\nttl: 2s\n");
        await().atMost(Duration.ofSeconds(15)).until(() ->
            auditEvents(receiver.spans()).contains("flag.expire"));
        Thread.sleep(500); // unflagged again
        Files.writeString(control.resolve("stop"), "");
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        child.destroyForcibly();
      }
      List<ReceivedSpan> spans = receiver.spans();
      List<ReceivedSpan> reads = Spans.where(spans, named("file.open"));
      assertThat(reads).isNotEmpty().allSatisfy(s -> assertThat(s.attributes())
          .containsEntry("osapi.capture.reason", "look-closer")
          .containsEntry("osapi.capture.kind", "flag"));
      ReceivedSpan raised = single(spans, named("osapi.audit flag.raise"), "raise");
      assertThat(raised.attributes())
          .containsEntry("osapi.audit.ticket", "INC-77")
          .containsEntry("osapi.audit.actor", "file-owner:" + System.getProperty("user.name"))
          .containsEntry("osapi.flag.source", "file:" + flags.resolve("look-closer.flag"));
      ReceivedSpan expired = single(spans, named("osapi.audit flag.expire"), "expire");
      assertThat((Long) expired.attribute("osapi.capture.spans")).isEqualTo((long) reads.size());
      // Reads happened before and after the flag too: fewer spans than reads.
      String out = Files.readString(dir.resolve("out.txt"));
      long total = Long.parseLong(out.substring(out.indexOf("done ") + 5).trim());
      assertThat(reads.size()).isLessThan((int) total);
    }
  }

  @Test
  void aJmxRaiseIsAuditedAndItsRateLimitCountsWhatItSuppressed() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Path p =
        policy(
            "version: 1\nrules:\n  - name: data-files\n    match: {family: file, path: '" + data + "/**'}\n"
                + "    action: capture\n    rate_limit: {per_second: 0.001, burst: 5}\n");
    List<ReceivedSpan> spans;
    ChildJvm.Result result;
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      result =
          ChildJvm.of(JmxWorkload.class).policy(p).property("otel.instrumentation.osapi.jmx.enabled", "true")
              .exportTo(receiver).args(data.toString()).run();
      spans = receiver.spans();
    }
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("raised flag jmx-incident (jmx, until ").contains("lowered 1");
    ReceivedSpan raised = single(spans, named("osapi.audit flag.raise"), "raise");
    assertThat(raised.attributes())
        .containsEntry("osapi.audit.actor", "jmx:local")
        .containsEntry("osapi.audit.reason", "operator investigation")
        .containsEntry("osapi.audit.ticket", "INC-9")
        .containsEntry("osapi.flag.source", "jmx");
    List<ReceivedSpan> captured =
        Spans.where(spans, s -> s.string("file.path") != null && s.string("file.path").startsWith(data.toString()));
    assertThat(captured).hasSize(5).allSatisfy(s -> assertThat(s.string("osapi.rule")).isEqualTo("data-files"));
    ReceivedSpan lowered = single(spans, named("osapi.audit flag.lower"), "lower");
    assertThat(lowered.attributes())
        .containsEntry("osapi.capture.suppressed", 95L)
        .containsEntry("osapi.audit.change", "investigation closed");
    ReceivedSpan summary = single(spans, named("osapi.capture.end"), "window summary");
    assertThat(summary.attributes()).containsEntry("osapi.capture.suppressed", 95L).containsEntry(
        "osapi.capture.spans", 5L);
  }

  @Test
  void dryRunExportsOnlyCounters() throws Exception {
    Path p =
        policy(
            "version: 1\nmode: dry-run\nsettings: {dry_run_report_interval: 1s}\n"
                + "flags: [{name: evaluate, reason: cost estimate, owner: ops, ttl: 1h}]\n");
    List<ReceivedSpan> spans;
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      ChildJvm.Result r =
          ChildJvm.of(dev.osapimonitor.extension.it.apps.IdleWorkload.class).policy(p).exportTo(receiver)
              .args("2500").run();
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      spans = receiver.spans();
    }
    assertThat(spans.stream().filter(s -> s.attributes().containsKey("osapi.family"))).isEmpty();
    assertThat(spans.stream().filter(s -> s.name().startsWith("osapi.capture"))).isEmpty();
    List<ReceivedSpan> reports = Spans.where(spans, named("osapi.audit dryrun.report"));
    assertThat(reports).isNotEmpty();
    ReceivedSpan last = reports.get(reports.size() - 1);
    assertThat((Long) last.attribute("osapi.dryrun.would_capture")).isGreaterThan(5L);
    assertThat(last.attributes()).containsKeys("osapi.dryrun.estimated_spans_per_minute",
        "osapi.dryrun.estimated_bytes_per_day", "osapi.dryrun.families");
  }

  @Test
  void aBadPolicyNeverStopsTheApplicationAndABadReloadKeepsTheLastGoodOne() throws Exception {
    Path bad = policy("version: 1\nrules:\n  - name: r\n    action: capture\n    match: {path: '/etc/[x'}\n");
    List<ReceivedSpan> spans;
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      ChildJvm.Result r =
          ChildJvm.of(dev.osapimonitor.extension.it.apps.IdleWorkload.class).policy(bad).exportTo(receiver)
              .args("300").run();
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      assertThat(r.stdout()).contains("done");
      spans = receiver.spans();
    }
    ReceivedSpan rejected = single(spans, named("osapi.audit policy.rejected"), "rejected at start");
    assertThat(rejected.string("osapi.audit.error"))
        .isEqualTo(bad + ":5: rules[0].match.path: invalid glob '/etc/[x': unbalanced '[' in glob");
    assertThat(rejected.isError()).isTrue();
    assertThat(spans.stream().filter(s -> s.attributes().containsKey("osapi.family"))).isEmpty();

    Path control = Files.createDirectory(dir.resolve("control2"));
    Path live = policy("version: 1\nsettings: {reload_interval: 200ms}\n"
        + "flags: [{name: watch, reason: r, owner: o, ttl: 1h, scope: {families: [file]}}]\n");
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      Process child =
          ChildJvm.of(ControlledWorkload.class).policy(live).exportTo(receiver).args(control.toString())
              .start(dir.resolve("out2.txt"), dir.resolve("err2.txt"));
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(dir.resolve("out2.txt")).contains("ready"));
        Files.writeString(live, "version: 1\nsettings: {reload_interval: 200ms}\nflags: [oops\n");
        Files.setLastModifiedTime(live, FileTime.from(Instant.now().plusSeconds(2)));
        await().atMost(Duration.ofSeconds(15)).until(() -> auditEvents(receiver.spans()).contains("policy.rejected"));
        int before = Spans.where(receiver.spans(), named("file.open")).size();
        await().atMost(Duration.ofSeconds(15)).until(() ->
            Spans.where(receiver.spans(), named("file.open")).size() > before + 3);
        Files.writeString(control.resolve("stop"), "");
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
      } finally {
        child.destroyForcibly();
      }
      ReceivedSpan reloadRejected = single(receiver.spans(), named("osapi.audit policy.rejected"), "reload");
      assertThat(reloadRejected.string("osapi.audit.error")).startsWith(live + ":").contains("YAML syntax");
      assertThat(reloadRejected.string("osapi.audit.change")).startsWith("kept the policy in force");
    }
  }
}
