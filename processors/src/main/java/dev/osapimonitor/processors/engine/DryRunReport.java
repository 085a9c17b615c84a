package dev.osapimonitor.processors.engine;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * In dry-run mode the engine exports no API span; instead, every {@code settings.dry_run_report_interval} it sends
 * one {@code osapi.audit dryrun.report} event with the counters — per decision, per rule — and an estimate of what
 * enforcing the policy would produce: spans per minute and bytes per day.
 */
final class DryRunReport {

  static final AttributeKey<Long> WOULD_CAPTURE = AttributeKey.longKey("osapi.dryrun.would_capture");
  static final AttributeKey<Long> WOULD_TRIGGER = AttributeKey.longKey("osapi.dryrun.would_trigger");
  static final AttributeKey<Long> UNFLAGGED = AttributeKey.longKey("osapi.dryrun.unflagged");
  static final AttributeKey<Long> IGNORED = AttributeKey.longKey("osapi.dryrun.ignored");
  static final AttributeKey<Long> SPANS_PER_MINUTE = AttributeKey.longKey("osapi.dryrun.estimated_spans_per_minute");
  static final AttributeKey<Long> BYTES_PER_DAY = AttributeKey.longKey("osapi.dryrun.estimated_bytes_per_day");
  static final AttributeKey<Long> BYTES_PER_SPAN = AttributeKey.longKey("osapi.dryrun.estimated_bytes_per_span");
  static final AttributeKey<List<String>> RULES = AttributeKey.stringArrayKey("osapi.dryrun.rules");
  static final AttributeKey<List<String>> FAMILIES = AttributeKey.stringArrayKey("osapi.dryrun.families");

  private final OsApiEngine engine;
  private long lastExported;
  private long lastAt = System.nanoTime();

  DryRunReport(OsApiEngine engine) {
    this.engine = engine;
  }

  synchronized void report() {
    if (!engine.policy().dryRun()) {
      lastExported = engine.count(Decision.CAPTURED) + engine.count(Decision.TRIGGERED);
      lastAt = System.nanoTime();
      return;
    }
    long now = System.nanoTime();
    long exported = engine.count(Decision.CAPTURED) + engine.count(Decision.TRIGGERED);
    double minutes = Math.max(1e-9, (now - lastAt) / 60e9);
    long perMinute = Math.round((exported - lastExported) / minutes);
    long bytesPerSpan = engine.averageSpanBytes();
    lastExported = exported;
    lastAt = now;
    AttributesBuilder b =
        Attributes.builder()
            .put(WOULD_CAPTURE, engine.count(Decision.CAPTURED))
            .put(WOULD_TRIGGER, engine.count(Decision.TRIGGERED))
            .put(UNFLAGGED, engine.count(Decision.UNFLAGGED))
            .put(IGNORED, engine.count(Decision.IGNORED))
            .put(SPANS_PER_MINUTE, perMinute)
            .put(BYTES_PER_SPAN, bytesPerSpan)
            .put(BYTES_PER_DAY, perMinute * 60L * 24L * bytesPerSpan);
    List<String> rules = new ArrayList<>();
    for (Decision d : Decision.values()) {
      for (Map.Entry<String, Long> e : engine.ruleCounts(d).entrySet()) {
        if (e.getValue() > 0) {
          rules.add(e.getKey() + " " + d.attributeValue() + "=" + e.getValue());
        }
      }
    }
    b.put(RULES, rules);
    List<String> families = new ArrayList<>();
    for (int op = 0; op < dev.osapimonitor.bootstrap.OsApiOps.OP_COUNT; op++) {
      for (Decision d : Decision.values()) {
        long n = engine.count(op, d);
        if (n > 0) {
          families.add(dev.osapimonitor.bootstrap.OsApiOps.spanName(op) + " " + d.attributeValue() + "=" + n);
        }
      }
    }
    b.put(FAMILIES, families);
    engine
        .audit()
        .emit(
            "dryrun.report",
            b.build(),
            "dry-run: would export ~" + perMinute + " spans/min, ~" + perMinute * 1440L * bytesPerSpan
                + " bytes/day",
            false);
  }
}
