package dev.osapimonitor.extension.it;

import static dev.osapimonitor.extension.it.Spans.attr;
import static dev.osapimonitor.extension.it.Spans.named;
import static dev.osapimonitor.extension.it.Spans.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.extension.it.ChildJvm.Agent;
import dev.osapimonitor.extension.it.apps.FailureWorkload;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Failing calls: the application sees the same exception type and message (or return value) with and without the
 * agent and extension, and each failure is an error span.
 */
class FailureTransparencyIT {

  @Test
  void theApplicationSeesExactlyWhatItWouldWithoutTheAgent() throws Exception {
    ChildJvm.Result bare = ChildJvm.of(FailureWorkload.class).agent(Agent.NONE).run();
    assertThat(bare.exitCode()).as(bare.stderr()).isZero();
    List<ReceivedSpan> spans;
    ChildJvm.Result monitored;
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      monitored = ChildJvm.of(FailureWorkload.class).examplePolicy("capture-all.yaml").exportTo(receiver).run();
      spans = receiver.apiSpans();
    }
    assertThat(monitored.exitCode()).as(monitored.stderr()).isZero();
    assertThat(monitored.stdout()).isEqualTo(bare.stdout());
    assertThat(bare.stdout()).contains("FileInputStream -> java.io.FileNotFoundException");

    ReceivedSpan missingFile =
        single(spans, named("file.open").and(attr("file.path", "/nonexistent/osapi/in.txt")), "missing file");
    assertThat(missingFile.isError()).isTrue();
    // ProcessBuilder.start and Runtime.exec, both failing.
    assertThat(Spans.where(spans, named("process.exec").and(attr("process.executable.path",
            "/nonexistent/osapi/binary"))))
        .hasSize(2)
        .allSatisfy(s -> assertThat(s.isError()).isTrue());
    ReceivedSpan falseDelete =
        single(spans, named("file.delete").and(attr("file.path", "/nonexistent/osapi/gone.txt"))
            .and(s -> "returned false".equals(s.string("error.type"))), "File.delete returned false");
    assertThat(falseDelete.isError()).isTrue();
  }

  @Test
  void theExtendedAgentJarAloneBehavesTheSame() throws Exception {
    ChildJvm.Result bare = ChildJvm.of(FailureWorkload.class).agent(Agent.NONE).run();
    List<ReceivedSpan> spans;
    ChildJvm.Result extended;
    try (GrpcOtlpReceiver receiver = new GrpcOtlpReceiver()) {
      extended =
          ChildJvm.of(FailureWorkload.class)
              .agent(Agent.EXTENDED_AGENT)
              .examplePolicy("capture-all.yaml")
              .exportTo(receiver)
              .run();
      spans = receiver.apiSpans();
    }
    assertThat(extended.exitCode()).as(extended.stderr()).isZero();
    assertThat(extended.stdout()).isEqualTo(bare.stdout());
    ReceivedSpan missing =
        single(spans, named("file.open").and(attr("file.path", "/nonexistent/osapi/in.txt")), "missing file");
    // The embedded agent still knows its own version (it reads it from the jar's manifest).
    assertThat(missing.resource()).containsEntry("telemetry.distro.version", "2.31.1");
    assertThat(extended.stderr()).contains("opentelemetry-javaagent - version: 2.31.1");
  }
}
