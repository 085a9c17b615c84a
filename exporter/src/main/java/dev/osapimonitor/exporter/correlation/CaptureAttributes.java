package dev.osapimonitor.exporter.correlation;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * Attribute names shared by the engine, the correlation and the summary. Chosen to be searchable: in Jaeger as a tag
 * ({@code osapi.capture.window_id=...}), in Tempo with TraceQL ({@code {span.osapi.capture.window_id="..."}}).
 */
public final class CaptureAttributes {

  public static final AttributeKey<String> FAMILY = AttributeKey.stringKey("osapi.family");
  public static final AttributeKey<String> OPERATION = AttributeKey.stringKey("osapi.operation");
  /** Name of the flag, window or trigger that made this span exported. */
  public static final AttributeKey<String> CAPTURE_REASON = AttributeKey.stringKey("osapi.capture.reason");
  /** {@code flag}, {@code window} or {@code trigger}. */
  public static final AttributeKey<String> CAPTURE_KIND = AttributeKey.stringKey("osapi.capture.kind");
  /** One id per activation of a flag, window or trigger. */
  public static final AttributeKey<String> CAPTURE_WINDOW_ID = AttributeKey.stringKey("osapi.capture.window_id");
  public static final AttributeKey<Long> CAPTURE_SEQUENCE = AttributeKey.longKey("osapi.capture.sequence");
  public static final AttributeKey<Long> CAPTURE_SPANS = AttributeKey.longKey("osapi.capture.spans");
  public static final AttributeKey<Long> CAPTURE_SUPPRESSED = AttributeKey.longKey("osapi.capture.suppressed");
  public static final AttributeKey<Long> SPOOL_DROPPED = AttributeKey.longKey("osapi.spool.dropped");
  public static final AttributeKey<Boolean> CAPTURE_ROLLED_OVER =
      AttributeKey.booleanKey("osapi.capture.rolled_over");
  public static final AttributeKey<String> CAPTURE_OWNER = AttributeKey.stringKey("osapi.capture.owner");
  public static final AttributeKey<String> CAPTURE_TICKET = AttributeKey.stringKey("osapi.capture.ticket");
  /** True on spans exported from the look-back buffer after a trigger fired. */
  public static final AttributeKey<Boolean> LOOKBACK = AttributeKey.booleanKey("osapi.lookback");
  public static final AttributeKey<String> TRIGGER_RULE = AttributeKey.stringKey("osapi.trigger.rule");
  public static final AttributeKey<Long> TRIGGER_LOOKBACK_SPANS = AttributeKey.longKey("osapi.trigger.lookback_spans");
  public static final AttributeKey<String> AUDIT_EVENT = AttributeKey.stringKey("osapi.audit.event");
  public static final AttributeKey<String> POLICY_SHA256 = AttributeKey.stringKey("osapi.policy.sha256");
  public static final AttributeKey<List<String>> TECHNIQUE_IDS =
      AttributeKey.stringArrayKey("threat.technique.id");

  /** Name prefix of the root span of a capture window: {@code osapi.capture <reason>}. */
  public static final String ROOT_SPAN_PREFIX = "osapi.capture ";
  /** Name prefix of audit events: {@code osapi.audit <event>}. */
  public static final String AUDIT_SPAN_PREFIX = "osapi.audit ";

  private CaptureAttributes() {}
}
