package dev.osapimonitor.exporter;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real spans made by a real SDK, for exporter tests. */
public final class TestSpans {

  private TestSpans() {}

  /** A captured call under its request span, the request span, and a request without captures, in that order. */
  public static List<SpanData> withRequests() {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(memory)).build()) {
      Tracer tracer = provider.get("app");
      Span request = tracer.spanBuilder("POST /diagnostics").setSpanKind(SpanKind.SERVER).startSpan();
      tracer.spanBuilder("file.open").setParent(io.opentelemetry.context.Context.root().with(request))
          .setAttribute("osapi.family", "file").startSpan().end();
      request.end();
      tracer.spanBuilder("GET /status").setSpanKind(SpanKind.SERVER).startSpan().end();
      return List.copyOf(memory.getFinishedSpanItems());
    }
  }

  public static List<SpanData> make(int count) {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "spool-test",
                AttributeKey.longKey("process.pid"), 4242L)))
            .addSpanProcessor(SimpleSpanProcessor.create(memory))
            .build()) {
      Tracer tracer = provider.get("osapi-monitor", "1.2.3");
      Span parent = tracer.spanBuilder("POST /diagnostics").setSpanKind(SpanKind.SERVER).startSpan();
      for (int i = 0; i < count; i++) {
        Span span =
            tracer
                .spanBuilder("file.open")
                .setParent(io.opentelemetry.context.Context.root().with(parent))
                .setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(1_700_000_000_000_000_000L + i, TimeUnit.NANOSECONDS)
                .setAttribute("osapi.family", "file")
                .setAttribute("file.path", "/tmp/f" + i)
                .setAttribute(AttributeKey.longKey("thread.id"), 1L)
                .setAttribute(AttributeKey.booleanKey("osapi.lookback"), i % 2 == 0)
                .setAttribute(AttributeKey.stringArrayKey("threat.technique.id"), List.of("T1552.001", "T0807"))
                .setAttribute(AttributeKey.doubleKey("ratio"), 0.5)
                .addLink(parent.getSpanContext(), Attributes.of(AttributeKey.stringKey("why"), "trigger"))
                .startSpan();
        span.addEvent("exception", Attributes.of(AttributeKey.stringKey("exception.type"), "java.io.IOException"));
        span.setStatus(StatusCode.ERROR, "denied " + i);
        span.end(1_700_000_000_000_100_000L + i, TimeUnit.NANOSECONDS);
      }
      parent.end();
      // Read before the provider closes: shutting down the in-memory exporter clears it.
      return List.copyOf(memory.getFinishedSpanItems().subList(0, count));
    }
  }
}
