package dev.osapimonitor.extension.it;

import static dev.osapimonitor.extension.it.Spans.attr;
import static dev.osapimonitor.extension.it.Spans.named;
import static dev.osapimonitor.extension.it.Spans.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.extension.it.apps.ParentingWorkload;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An API span is a child of the application's current span; outside one, it sits under the capture root. */
class ParentingIT {

  @Test
  void apiSpansSitUnderTheCurrentApplicationSpanOrTheCaptureRoot() throws Exception {
    ChildJvm.Result result;
    List<ReceivedSpan> all;
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      result = ChildJvm.of(ParentingWorkload.class).examplePolicy("capture-all.yaml").exportTo(receiver).run();
      all = receiver.spans();
    }
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    String[] ids = result.lines().stream().filter(l -> l.startsWith("request ")).findFirst().orElseThrow()
        .split(" ");
    ReceivedSpan request = single(all, named("handle-request"), "the application's span");
    assertThat(request.spanId()).isEqualTo(ids[2]);

    ReceivedSpan read = single(all, named("file.open").and(attr("file.path", "/etc/hostname")), "read in request");
    assertThat(read.traceId()).isEqualTo(ids[1]);
    assertThat(read.parentSpanId()).isEqualTo(ids[2]);
    ReceivedSpan exec = single(all, named("process.exec").and(attr("process.executable.path", "/bin/true")), "exec");
    assertThat(exec.parentSpanId()).isEqualTo(ids[2]);

    // Outside the request: under the capture window's root, a separate trace.
    ReceivedSpan outside = single(all, named("file.open").and(attr("file.path", "/etc/os-release")), "outside");
    assertThat(outside.traceId()).isNotEqualTo(ids[1]);
    ReceivedSpan root = single(all, s -> s.spanId().equals(outside.parentSpanId()), "capture root");
    assertThat(root.name()).isEqualTo("osapi.capture capture-all");
    assertThat(root.parentSpanId()).isEmpty();
    assertThat(root.attributes())
        .containsEntry("osapi.capture.reason", "capture-all")
        .containsEntry("osapi.capture.kind", "flag")
        .containsEntry("osapi.capture.window_id", outside.string("osapi.capture.window_id"));
  }
}
