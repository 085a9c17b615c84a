package dev.osapimonitor.extension.it;

import static dev.osapimonitor.extension.it.Spans.named;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.extension.it.apps.ParentingWorkload;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each family is an instrumentation module that can be switched off by name. */
class ModuleSwitchIT {

  @Test
  void switchingOffTheFileModuleLeavesTheOthers() throws Exception {
    List<ReceivedSpan> spans;
    ChildJvm.Result result;
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      result =
          ChildJvm.of(ParentingWorkload.class)
              .examplePolicy("capture-all.yaml")
              .property("otel.instrumentation.osapi-file.enabled", "false")
              .exportTo(receiver)
              .run();
      spans = receiver.apiSpans();
    }
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(Spans.where(spans, s -> "file".equals(s.string("osapi.family")))).isEmpty();
    assertThat(Spans.where(spans, named("process.exec"))).isNotEmpty();
  }

  @Test
  void switchingOffAllOsapiModules() throws Exception {
    List<ReceivedSpan> spans;
    List<ReceivedSpan> all;
    ChildJvm.Result result;
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      result =
          ChildJvm.of(ParentingWorkload.class)
              .examplePolicy("capture-all.yaml")
              .property("otel.instrumentation.osapi.enabled", "false")
              .exportTo(receiver)
              .run();
      spans = receiver.apiSpans();
      all = receiver.spans();
    }
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(spans).isEmpty();
    // The application's own span and the audit events still flow.
    assertThat(Spans.where(all, named("handle-request"))).hasSize(1);
    assertThat(Spans.where(all, named("osapi.audit policy.load"))).hasSize(1);
  }
}
