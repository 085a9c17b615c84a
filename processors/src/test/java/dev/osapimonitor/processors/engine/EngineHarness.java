package dev.osapimonitor.processors.engine;

import dev.osapimonitor.bootstrap.OsApiCall;
import dev.osapimonitor.bootstrap.OsApiGate;
import dev.osapimonitor.processors.identity.ProcessIdentity;
import dev.osapimonitor.processors.policy.PolicyException;
import dev.osapimonitor.processors.policy.PolicyParser;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** A real SDK with an in-memory exporter and an engine driven through the real gate. */
final class EngineHarness implements AutoCloseable {

  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final OpenTelemetrySdk sdk;
  final OsApiEngine engine;

  EngineHarness(String policyYaml) throws PolicyException {
    this(policyYaml, EngineClock.system());
  }

  EngineHarness(String policyYaml, EngineClock clock) throws PolicyException {
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .build();
    engine = new OsApiEngine(new EngineOptions(clock, ProcessIdentity.current(), EngineOptions.FAULT_NONE));
    engine.applyPolicy(PolicyParser.parse(policyYaml, "test.yaml"), "policy.load", "test");
    engine.start(sdk);
  }

  static EngineHarness at(String policyYaml, String instant) throws PolicyException {
    return new EngineHarness(policyYaml, EngineClock.startingAt(Instant.parse(instant)));
  }

  /** One OS-API call through the gate, as advice would make it. */
  void call(int op, Object subject, Object detail, long value) {
    OsApiCall call = OsApiGate.enter(op, subject, detail, value);
    OsApiGate.exit(call, null, 1, null);
  }

  /** Runs {@code body} inside an application span, returning that span. */
  Span inRequest(String name, Runnable body) {
    Span span = sdk.getTracer("app").spanBuilder(name).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      body.run();
    } finally {
      span.end();
    }
    return span;
  }

  List<SpanData> spans() {
    return exporter.getFinishedSpanItems();
  }

  List<SpanData> apiSpans() {
    return spans().stream()
        .filter(s -> s.getAttributes().get(dev.osapimonitor.exporter.correlation.CaptureAttributes.FAMILY) != null)
        .collect(Collectors.toList());
  }

  List<SpanData> named(String name) {
    return spans().stream().filter(s -> s.getName().equals(name)).collect(Collectors.toList());
  }

  List<String> auditEvents() {
    return spans().stream()
        .filter(s -> s.getName().startsWith("osapi.audit "))
        .map(s -> s.getName().substring("osapi.audit ".length()))
        .collect(Collectors.toList());
  }

  @Override
  public void close() {
    OsApiGate.install(null, 0);
    sdk.close();
  }
}
