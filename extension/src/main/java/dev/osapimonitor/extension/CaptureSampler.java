package dev.osapimonitor.extension;

import dev.osapimonitor.exporter.correlation.CaptureAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * Wraps the configured sampler so that what the policy decided to capture is always recorded: API-call spans,
 * capture-window roots and audit events. Every other span is the configured sampler's to decide.
 */
final class CaptureSampler implements Sampler {

  private final Sampler delegate;

  CaptureSampler(Sampler delegate) {
    this.delegate = delegate;
  }

  @Override
  public SamplingResult shouldSample(
      Context parentContext,
      String traceId,
      String name,
      SpanKind spanKind,
      Attributes attributes,
      List<LinkData> parentLinks) {
    if (attributes.get(CaptureAttributes.FAMILY) != null || name.startsWith("osapi.")) {
      return SamplingResult.recordAndSample();
    }
    return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
  }

  @Override
  public String getDescription() {
    return "OsApiCaptureSampler{" + delegate.getDescription() + "}";
  }

  @Override
  public String toString() {
    return getDescription();
  }
}
