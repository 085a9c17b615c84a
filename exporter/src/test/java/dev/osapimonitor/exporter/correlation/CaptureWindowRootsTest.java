package dev.osapimonitor.exporter.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CaptureWindowRootsTest {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final CaptureWindow window =
      new CaptureWindow("w-1", "inc-7", "flag", Attributes.of(CaptureAttributes.CAPTURE_TICKET, "INC-7"));

  private List<SpanData> roots() {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals("osapi.capture inc-7"))
        .collect(Collectors.toList());
  }

  @Test
  void oneRootPerWindowRolledOverBySpanCountAndLinked() {
    CaptureWindowRoots roots = new CaptureWindowRoots(provider.get("t"), now::get, Duration.ofHours(1), 3);
    for (int i = 0; i < 7; i++) {
      Context parent = roots.parentFor(window);
      Span.fromContext(parent).getSpanContext();
    }
    List<SpanData> made = roots();
    assertThat(made).hasSize(3); // 3 + 3 + 1
    assertThat(made.get(0).getAttributes().get(CaptureAttributes.CAPTURE_SEQUENCE)).isEqualTo(1L);
    assertThat(made.get(0).getAttributes().get(CaptureAttributes.CAPTURE_TICKET)).isEqualTo("INC-7");
    assertThat(made.get(0).getParentSpanContext().isValid()).isFalse();
    assertThat(made.get(1).getAttributes().get(CaptureAttributes.CAPTURE_ROLLED_OVER)).isTrue();
    assertThat(made.get(1).getLinks()).hasSize(1);
    assertThat(made.get(1).getLinks().get(0).getSpanContext().getSpanId()).isEqualTo(made.get(0).getSpanId());
    assertThat(made.get(1).getLinks().get(0).getAttributes().get(CaptureAttributes.CAPTURE_SPANS)).isEqualTo(3L);
    assertThat(made.get(1).getTraceId()).isNotEqualTo(made.get(0).getTraceId());
  }

  @Test
  void rollsOverByDurationAndSummarizesOnClose() {
    CaptureWindowRoots roots = new CaptureWindowRoots(provider.get("t"), now::get, Duration.ofSeconds(10), 1000);
    roots.parentFor(window);
    now.addAndGet(11_000_000_000L);
    Context second = roots.parentFor(window);
    assertThat(roots()).hasSize(2);
    roots.close("w-1", Attributes.of(CaptureAttributes.CAPTURE_SUPPRESSED, 4L));
    SpanData summary =
        exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals("osapi.capture.end")).findFirst()
            .orElseThrow();
    assertThat(summary.getParentSpanId()).isEqualTo(Span.fromContext(second).getSpanContext().getSpanId());
    assertThat(summary.getAttributes().get(CaptureAttributes.CAPTURE_SUPPRESSED)).isEqualTo(4L);
    assertThat(roots.openWindows()).isEmpty();
  }

  @Test
  void aParentContextMakesRootsJoinAnotherTrace() {
    CaptureWindowRoots roots = new CaptureWindowRoots(provider.get("t"), now::get, Duration.ofHours(1), 10);
    Span parent = provider.get("t").spanBuilder("exec in parent").startSpan();
    roots.setParent(Context.root().with(parent));
    roots.parentFor(window);
    assertThat(roots().get(0).getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
  }

  @Test
  void boundsAreValidated() {
    assertThatThrownBy(() -> new CaptureWindowRoots(provider.get("t"), now::get, Duration.ofHours(1), 0))
        .hasMessage("maxSpans must be positive");
    assertThatThrownBy(() -> new CaptureWindowRoots(provider.get("t"), now::get, Duration.ZERO, 1))
        .hasMessage("maxDuration must be positive");
  }

}
