package dev.osapimonitor.exporter.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osapimonitor.exporter.TestSpans;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanCodecTest {

  @Test
  void aBatchSurvivesTheRoundTripField_by_field() throws Exception {
    List<SpanData> spans = TestSpans.make(3);
    List<SpanData> back = SpanCodec.decode(SpanCodec.encode(spans));
    assertThat(back).hasSize(3);
    for (int i = 0; i < 3; i++) {
      SpanData a = spans.get(i);
      SpanData b = back.get(i);
      assertThat(b.getName()).isEqualTo(a.getName());
      assertThat(b.getKind()).isEqualTo(a.getKind());
      assertThat(b.getSpanContext().getTraceId()).isEqualTo(a.getSpanContext().getTraceId());
      assertThat(b.getSpanContext().getSpanId()).isEqualTo(a.getSpanContext().getSpanId());
      assertThat(b.getSpanContext().isSampled()).isTrue();
      assertThat(b.getParentSpanContext().getSpanId()).isEqualTo(a.getParentSpanContext().getSpanId());
      assertThat(b.getStartEpochNanos()).isEqualTo(a.getStartEpochNanos());
      assertThat(b.getEndEpochNanos()).isEqualTo(a.getEndEpochNanos());
      assertThat(b.getAttributes().asMap()).isEqualTo(a.getAttributes().asMap());
      assertThat(b.getStatus()).isEqualTo(a.getStatus());
      assertThat(b.getEvents()).hasSize(1);
      assertThat(b.getEvents().get(0).getName()).isEqualTo("exception");
      assertThat(b.getEvents().get(0).getAttributes().asMap()).isEqualTo(a.getEvents().get(0).getAttributes().asMap());
      assertThat(b.getLinks()).hasSize(1);
      assertThat(b.getLinks().get(0).getSpanContext().getSpanId())
          .isEqualTo(a.getLinks().get(0).getSpanContext().getSpanId());
      assertThat(b.getResource().getAttributes().asMap()).isEqualTo(a.getResource().getAttributes().asMap());
      assertThat(b.getInstrumentationScopeInfo().getName()).isEqualTo("osapi-monitor");
      assertThat(b.getInstrumentationScopeInfo().getVersion()).isEqualTo("1.2.3");
    }
  }

  @Test
  void aDamagedFrameIsRecognised() throws Exception {
    byte[] frame = SpanCodec.encode(TestSpans.make(1));
    assertThat(SpanCodec.spanCount(frame)).isEqualTo(1);
    frame[frame.length - 3] ^= 0x55;
    assertThat(SpanCodec.spanCount(frame)).isEqualTo(-1);
    assertThatThrownBy(() -> SpanCodec.decode(frame))
        .isInstanceOf(IOException.class)
        .hasMessage("not an intact spool record (bad magic, length or checksum)");
  }
}
