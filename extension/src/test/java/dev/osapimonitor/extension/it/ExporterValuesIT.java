package dev.osapimonitor.extension.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.extension.it.apps.ParentingWorkload;
import org.junit.jupiter.api.Test;

/** The standard otel.traces.exporter values keep working with the extension loaded. */
class ExporterValuesIT {

  @Test
  void consoleLoggingOtlpAndNone() throws Exception {
    ChildJvm.Result console =
        ChildJvm.of(ParentingWorkload.class)
            .examplePolicy("capture-all.yaml")
            .property("otel.traces.exporter", "console")
            .run();
    assertThat(console.exitCode()).as(console.stderr()).isZero();
    assertThat(console.stdout() + console.stderr()).contains("'process.exec'").contains("'handle-request'");

    ChildJvm.Result json =
        ChildJvm.of(ParentingWorkload.class)
            .examplePolicy("capture-all.yaml")
            .property("otel.traces.exporter", "logging-otlp")
            .run();
    assertThat(json.exitCode()).as(json.stderr()).isZero();
    assertThat(json.stdout() + json.stderr()).contains("\"name\":\"process.exec\"");

    ChildJvm.Result none =
        ChildJvm.of(ParentingWorkload.class)
            .examplePolicy("capture-all.yaml")
            .property("otel.traces.exporter", "none")
            .run();
    assertThat(none.exitCode()).as(none.stderr()).isZero();
    assertThat(none.stdout()).contains("done");
  }
}
