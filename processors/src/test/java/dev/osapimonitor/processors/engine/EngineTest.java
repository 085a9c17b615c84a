package dev.osapimonitor.processors.engine;

import static dev.osapimonitor.exporter.correlation.CaptureAttributes.CAPTURE_KIND;
import static dev.osapimonitor.exporter.correlation.CaptureAttributes.CAPTURE_REASON;
import static dev.osapimonitor.exporter.correlation.CaptureAttributes.CAPTURE_SPANS;
import static dev.osapimonitor.exporter.correlation.CaptureAttributes.CAPTURE_SUPPRESSED;
import static dev.osapimonitor.exporter.correlation.CaptureAttributes.CAPTURE_WINDOW_ID;
import static dev.osapimonitor.exporter.correlation.CaptureAttributes.LOOKBACK;
import static dev.osapimonitor.exporter.correlation.CaptureAttributes.TRIGGER_LOOKBACK_SPANS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.bootstrap.OsApiGate;
import dev.osapimonitor.bootstrap.OsApiOps;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's decisions, through the real gate and a real SDK. */
class EngineTest {

  static final AttributeKey<String> FILE_PATH = AttributeKey.stringKey("file.path");

  @Test
  void unflaggedCallsAreDroppedAndCounted() throws Exception {
    try (EngineHarness h = new EngineHarness("version: 1\nrules: []\n")) {
      assertThat(OsApiGate.interest() & (1L << OsApiOps.FILE_OPEN)).isZero();
      h.call(OsApiOps.FILE_OPEN, "/etc/hostname", null, OsApiOps.MODE_READ);
      assertThat(h.apiSpans()).isEmpty();
      assertThat(h.auditEvents()).containsExactly("policy.load");
    }
  }

  @Test
  void aFlagCapturesUnderItsWindowRootAndLoweringItSummarizes() throws Exception {
    String policy =
        "version: 1\nflags:\n  - {name: inc-1, reason: test, owner: soc, ticket: T-1, ttl: 1h,"
            + " scope: {families: [file]}}\n";
    try (EngineHarness h = new EngineHarness(policy)) {
      h.call(OsApiOps.FILE_OPEN, "/etc/hostname", null, OsApiOps.MODE_READ);
      h.call(OsApiOps.PROCESS_EXEC, new ProcessBuilder("/bin/true"), null, 0); // not in the flag's scope
      List<SpanData> api = h.apiSpans();
      assertThat(api).hasSize(1);
      SpanData open = api.get(0);
      assertThat(open.getName()).isEqualTo("file.open");
      assertThat(open.getAttributes().get(FILE_PATH)).isEqualTo("/etc/hostname");
      assertThat(open.getAttributes().get(CAPTURE_REASON)).isEqualTo("inc-1");
      assertThat(open.getAttributes().get(CAPTURE_KIND)).isEqualTo("flag");
      SpanData root = h.named("osapi.capture inc-1").get(0);
      assertThat(open.getParentSpanId()).isEqualTo(root.getSpanId());
      assertThat(root.getAttributes().get(CAPTURE_WINDOW_ID)).isEqualTo(open.getAttributes().get(CAPTURE_WINDOW_ID));
      // The caller is this test method (the first frame above the JDK).
      assertThat(open.getAttributes().get(AttributeKey.stringKey("code.function.name")))
          .isEqualTo(EngineHarness.class.getName() + ".call");

      assertThat(h.engine.lowerFlag("inc-1", "tester", "done")).isEqualTo(1);
      SpanData summary = h.named("osapi.capture.end").get(0);
      assertThat(summary.getParentSpanId()).isEqualTo(root.getSpanId());
      assertThat(summary.getAttributes().get(CAPTURE_SPANS)).isEqualTo(1L);
      assertThat(h.auditEvents()).containsExactly("policy.load", "flag.raise", "flag.lower");
      h.call(OsApiOps.FILE_OPEN, "/etc/hostname", null, OsApiOps.MODE_READ);
      assertThat(h.apiSpans()).hasSize(1);
    }
  }

  @Test
  void aCallInsideARequestIsItsChild() throws Exception {
    try (EngineHarness h = new EngineHarness(
        "version: 1\nflags: [{name: f, reason: r, owner: o, expires: never}]\n")) {
      Span request = h.inRequest("GET /x", () ->
          h.call(OsApiOps.FILE_OPEN, "/etc/hostname", null, OsApiOps.MODE_READ));
      SpanData open = h.apiSpans().get(0);
      assertThat(open.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
      assertThat(open.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
      assertThat(h.named("osapi.capture f")).isEmpty(); // no root needed
    }
  }

  @Test
  void aTriggerExportsTheLookBackOfItsTraceLinkedBothWays() throws Exception {
    String policy =
        String.join(
            "\n",
            "version: 1",
            "lookback: {enabled: true, max_records: 100, max_age: 60s, match: {family: [file, network]}}",
            "rules:",
            "  - name: shell",
            "    match: {family: process, executable: [sh, bash]}",
            "    action: trigger",
            "    trigger: {ttl: 10m, scope: trace, lookback: 30s}",
            "");
    try (EngineHarness h = new EngineHarness(policy)) {
      h.call(OsApiOps.FILE_OPEN, "/tmp/before-other-trace", null, OsApiOps.MODE_READ); // not in the trace
      Span request =
          h.inRequest("POST /diagnostics", () -> {
            h.call(OsApiOps.FILE_OPEN, "/opt/app/diag.conf", null, OsApiOps.MODE_READ);
            h.call(OsApiOps.PROCESS_EXEC, new ProcessBuilder("/bin/sh", "-c", "id"), null, 0);
            h.call(OsApiOps.FILE_OPEN, "/etc/passwd", null, OsApiOps.MODE_READ);
          });
      h.call(OsApiOps.FILE_OPEN, "/tmp/after-other-trace", null, OsApiOps.MODE_READ);

      List<SpanData> api = h.apiSpans();
      SpanData trigger = api.stream().filter(s -> s.getName().equals("process.exec")).findFirst().orElseThrow();
      assertThat(trigger.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
      assertThat(trigger.getAttributes().get(CAPTURE_KIND)).isEqualTo("trigger");
      assertThat(trigger.getAttributes().get(TRIGGER_LOOKBACK_SPANS)).isEqualTo(1L);
      SpanData before =
          api.stream().filter(s -> "/opt/app/diag.conf".equals(s.getAttributes().get(FILE_PATH))).findFirst()
              .orElseThrow();
      assertThat(before.getAttributes().get(LOOKBACK)).isTrue();
      assertThat(before.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
      assertThat(before.getStartEpochNanos()).isLessThan(trigger.getStartEpochNanos());
      assertThat(before.getLinks()).anySatisfy(l ->
          assertThat(l.getSpanContext().getSpanId()).isEqualTo(trigger.getSpanId()));
      assertThat(trigger.getLinks()).anySatisfy(l ->
          assertThat(l.getSpanContext().getSpanId()).isEqualTo(before.getSpanId()));
      // After the trigger, the same trace is captured; other traces and other threads are not.
      assertThat(api).anySatisfy(s -> assertThat(s.getAttributes().get(FILE_PATH)).isEqualTo("/etc/passwd"));
      assertThat(api).noneSatisfy(s -> assertThat(s.getAttributes().get(FILE_PATH)).contains("other-trace"));
      assertThat(h.auditEvents()).containsExactly("policy.load", "trigger.fire");
    }
  }

  @Test
  void timeWindowsCaptureOnlyWhileOpen() throws Exception {
    String policy =
        "version: 1\nwindows:\n  - {name: sat, reason: maintenance, timezone: Europe/Berlin, days: [SAT],"
            + " start: '22:00', duration: 4h}\n";
    // Saturday 2026-12-05 23:30 in Berlin is 22:30 UTC: inside.
    try (EngineHarness h = EngineHarness.at(policy, "2026-12-05T22:30:00Z")) {
      h.call(OsApiOps.FILE_OPEN, "/etc/hostname", null, OsApiOps.MODE_READ);
      assertThat(h.apiSpans()).hasSize(1);
      assertThat(h.apiSpans().get(0).getAttributes().get(CAPTURE_KIND)).isEqualTo("window");
      assertThat(h.auditEvents()).contains("window.open");
    }
    // Sunday 02:30 Berlin (01:30 UTC) is after the 4 hours: outside.
    try (EngineHarness h = EngineHarness.at(policy, "2026-12-06T01:30:00Z")) {
      h.call(OsApiOps.FILE_OPEN, "/etc/hostname", null, OsApiOps.MODE_READ);
      assertThat(h.apiSpans()).isEmpty();
      assertThat(h.auditEvents()).doesNotContain("window.open");
    }
  }

  @Test
  void aRateLimitSuppressesAndCountsOnTheWindow() throws Exception {
    String policy =
        String.join(
            "\n",
            "version: 1",
            "flags: [{name: f, reason: r, owner: o, ttl: 1h}]",
            "rules:",
            "  - name: opens",
            "    match: {family: file}",
            "    action: capture",
            "    rate_limit: {per_second: 0.001, burst: 3}",
            "");
    try (EngineHarness h = new EngineHarness(policy)) {
      for (int i = 0; i < 10; i++) {
        h.call(OsApiOps.FILE_OPEN, "/tmp/f" + i, null, OsApiOps.MODE_READ);
      }
      assertThat(h.apiSpans()).hasSize(3);
      assertThat(h.engine.ruleCounts(Decision.SUPPRESSED)).containsEntry("opens", 7L);
      h.engine.lowerFlag("f", "t", "end");
      SpanData summary = h.named("osapi.capture.end").get(0);
      assertThat(summary.getAttributes().get(CAPTURE_SUPPRESSED)).isEqualTo(7L);
      SpanData lowered = h.named("osapi.audit flag.lower").get(0);
      assertThat(lowered.getAttributes().get(CAPTURE_SUPPRESSED)).isEqualTo(7L);
    }
  }

  @Test
  void dedupSuppressesRepeatsOfTheSameCall() throws Exception {
    String policy =
        "version: 1\nflags: [{name: f, reason: r, owner: o, ttl: 1h}]\nrules:\n"
            + "  - {name: opens, match: {family: file}, action: capture, dedup: 60s}\n";
    try (EngineHarness h = new EngineHarness(policy)) {
      for (int i = 0; i < 5; i++) {
        h.call(OsApiOps.FILE_OPEN, "/tmp/same", null, OsApiOps.MODE_READ);
      }
      h.call(OsApiOps.FILE_OPEN, "/tmp/other", null, OsApiOps.MODE_READ);
      assertThat(h.apiSpans()).hasSize(2);
    }
  }

  @Test
  void ignoreRulesWinOverFlags() throws Exception {
    String policy =
        "version: 1\nflags: [{name: f, reason: r, owner: o, ttl: 1h}]\nrules:\n"
            + "  - {name: jdk, match: {family: file, path: '/usr/lib/jvm/**'}, action: ignore}\n";
    try (EngineHarness h = new EngineHarness(policy)) {
      h.call(OsApiOps.FILE_OPEN, "/usr/lib/jvm/java-17/lib/modules", null, OsApiOps.MODE_READ);
      h.call(OsApiOps.FILE_OPEN, "/etc/hostname", null, OsApiOps.MODE_READ);
      assertThat(h.apiSpans()).extracting(s -> s.getAttributes().get(FILE_PATH)).containsExactly("/etc/hostname");
      assertThat(h.engine.ruleCounts(Decision.IGNORED)).containsEntry("jdk", 1L);
    }
  }

  @Test
  void dryRunExportsOnlyCountersAndAnEstimate() throws Exception {
    String policy =
        "version: 1\nmode: dry-run\nflags: [{name: f, reason: r, owner: o, ttl: 1h}]\nrules:\n"
            + "  - {name: shell, match: {family: process, executable: sh}, action: trigger,"
            + " trigger: {ttl: 1m, scope: process}}\n";
    try (EngineHarness h = new EngineHarness(policy)) {
      for (int i = 0; i < 64; i++) {
        h.call(OsApiOps.FILE_OPEN, "/tmp/f" + i, null, OsApiOps.MODE_READ);
      }
      h.call(OsApiOps.PROCESS_EXEC, new ProcessBuilder("/bin/sh", "-c", "true"), null, 0);
      h.engine.reportDryRun();
      assertThat(h.apiSpans()).isEmpty();
      assertThat(h.named("osapi.capture f")).isEmpty();
      SpanData report = h.named("osapi.audit dryrun.report").get(0);
      assertThat(report.getAttributes().get(DryRunReport.WOULD_CAPTURE)).isEqualTo(64L);
      assertThat(report.getAttributes().get(DryRunReport.WOULD_TRIGGER)).isEqualTo(1L);
      assertThat(report.getAttributes().get(DryRunReport.BYTES_PER_SPAN)).isGreaterThan(100L);
      assertThat(report.getAttributes().get(DryRunReport.RULES)).contains("shell triggered=1");
      assertThat(h.auditEvents()).doesNotContain("trigger.fire");
    }
  }

  @Test
  void aFaultInTheDecisionNeverReachesTheCaller() throws Exception {
    try (EngineHarness h = new EngineHarness(
        "version: 1\nflags: [{name: f, reason: r, owner: o, expires: never}]\n")) {
      h.engine.setFault(EngineOptions.FAULT_DECISION);
      long before = OsApiGate.internalErrors();
      h.call(OsApiOps.FILE_OPEN, "/etc/hostname", null, OsApiOps.MODE_READ);
      assertThat(OsApiGate.internalErrors()).isEqualTo(before + 1);
      assertThat(h.apiSpans()).isEmpty();
      h.engine.setFault(EngineOptions.FAULT_NONE);
      h.call(OsApiOps.FILE_OPEN, "/etc/hostname", null, OsApiOps.MODE_READ);
      assertThat(h.apiSpans()).hasSize(1); // the depth was restored
    }
  }

  @Test
  void aDryRunCountsWhatEnforcingWouldExportNotEveryCall() throws Exception {
    String unflagged = "version: 1\nmode: dry-run\nlookback: {enabled: false}\n"
        + "rules: [{name: t, match: {family: file, path: '/etc/shadow'}, action: trigger, trigger: {ttl: 1m}}]\n";
    try (EngineHarness h = new EngineHarness(unflagged)) {
      for (int i = 0; i < 5; i++) {
        h.call(OsApiOps.FILE_OPEN, "/srv/data/" + i, null, OsApiOps.MODE_READ);
      }
      h.call(OsApiOps.FILE_OPEN, "/etc/shadow", null, OsApiOps.MODE_READ);
      assertThat(h.engine.count(Decision.CAPTURED)).isZero();
      assertThat(h.engine.count(Decision.TRIGGERED)).isEqualTo(1);
      assertThat(h.apiSpans()).isEmpty();
    }
    String flagged = "version: 1\nmode: dry-run\nflags: [{name: f, reason: r, owner: o, expires: never}]\n"
        + "rules: [{name: data, match: {family: file, path: '/srv/**'}, action: capture,"
        + " rate_limit: {per_second: 0.001, burst: 2}}]\n";
    try (EngineHarness h = new EngineHarness(flagged)) {
      for (int i = 0; i < 5; i++) {
        h.call(OsApiOps.FILE_OPEN, "/srv/data/" + i, null, OsApiOps.MODE_READ);
      }
      h.call(OsApiOps.FILE_OPEN, "/etc/hostname", null, OsApiOps.MODE_READ);
      assertThat(h.engine.count(Decision.CAPTURED)).isEqualTo(3); // two admitted by the rate limit + /etc/hostname
      assertThat(h.engine.count(Decision.SUPPRESSED)).isEqualTo(3);
      assertThat(h.apiSpans()).isEmpty();
    }
  }
}
