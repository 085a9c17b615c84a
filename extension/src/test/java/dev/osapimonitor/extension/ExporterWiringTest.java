package dev.osapimonitor.extension;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The spool does the retrying: the OTLP exporter it wraps must make one attempt per delivery, not five. */
class ExporterWiringTest {

  @Test
  void theWrappedHttpExporterMakesOneAttemptWhereTheConfiguredOneRetries() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger requests = new AtomicInteger();
    server.createContext(
        "/v1/traces",
        exchange -> {
          requests.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(503, -1); // retryable: the SDK's own policy would try again
          exchange.close();
        });
    server.start();
    try {
      String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
      SpanExporter configured = OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build();
      // Baseline, so that the assertion below cannot pass by accident: the configured exporter retries.
      CompletableResultCode first = configured.export(List.of(span())).join(30, TimeUnit.SECONDS);
      assertThat(first.isSuccess()).isFalse();
      assertThat(requests.get()).isGreaterThan(1);

      SpanExporter wrapped = ExporterWiring.withoutRetry(configured);
      requests.set(0);
      CompletableResultCode second = wrapped.export(List.of(span())).join(30, TimeUnit.SECONDS);
      assertThat(second.isDone()).isTrue();
      assertThat(second.isSuccess()).isFalse();
      assertThat(requests.get()).isEqualTo(1);
      assertThat(wrapped).isInstanceOf(OtlpHttpSpanExporter.class).isNotSameAs(configured);
      assertThat(wrapped.toString()).contains(endpoint);
      wrapped.shutdown().join(5, TimeUnit.SECONDS);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theGrpcExporterIsRebuiltWithItsSettingsAndAnythingElseIsLeftAlone() {
    SpanExporter configured =
        OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:4999").addHeader("x-tenant", "plant-7").build();
    SpanExporter wrapped = ExporterWiring.withoutRetry(configured);
    assertThat(wrapped).isInstanceOf(OtlpGrpcSpanExporter.class).isNotSameAs(configured);
    assertThat(wrapped.toString()).contains("127.0.0.1:4999").contains("x-tenant");
    wrapped.shutdown().join(5, TimeUnit.SECONDS);

    SpanExporter other =
        new SpanExporter() {
          @Override
          public CompletableResultCode export(java.util.Collection<SpanData> spans) {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
          }
        };
    assertThat(ExporterWiring.withoutRetry(other)).isSameAs(other);
  }

  private static SpanData span() {
    long now = System.currentTimeMillis() * 1_000_000L;
    return TestSpanData.builder()
        .setSpanContext(
            SpanContext.create(
                "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(),
                TraceState.getDefault()))
        .setName("file.open")
        .setKind(SpanKind.INTERNAL)
        .setStartEpochNanos(now)
        .setEndEpochNanos(now + 1000)
        .setHasEnded(true)
        .setStatus(StatusData.unset())
        .setAttributes(Attributes.empty())
        .setResource(Resource.empty())
        .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("test"))
        .build();
  }
}
