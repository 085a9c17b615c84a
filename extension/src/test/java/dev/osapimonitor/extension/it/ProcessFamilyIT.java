package dev.osapimonitor.extension.it;

import static dev.osapimonitor.extension.it.Spans.named;
import static dev.osapimonitor.extension.it.Spans.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.extension.it.apps.ProcessWorkload;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The process family under capture-all, exported over OTLP/gRPC. */
class ProcessFamilyIT {

  static List<ReceivedSpan> spans;
  static List<byte[]> raw;
  static ChildJvm.Result result;

  @BeforeAll
  static void run() throws Exception {
    try (GrpcOtlpReceiver receiver = new GrpcOtlpReceiver()) {
      result = ChildJvm.of(ProcessWorkload.class).examplePolicy("capture-all.yaml").exportTo(receiver).run();
      spans = receiver.apiSpans();
      raw = receiver.rawRequests();
    }
    assertThat(result.exitCode()).as(result.stderr()).isZero();
  }

  @Test
  @SuppressWarnings("unchecked")
  void processBuilderStartHasCommandDirectoryAndChildPid() {
    ReceivedSpan sh =
        single(spans, named("process.exec").and(s -> "/bin/sh -c exit 3".equals(s.string("process.command_line"))),
            "sh -c exit 3");
    String pidLine = result.lines().stream().filter(l -> l.startsWith("exit 3 pid ")).findFirst().orElseThrow();
    assertThat(sh.attributes())
        .containsEntry("osapi.family", "process")
        .containsEntry("osapi.operation", "exec")
        .containsEntry("process.executable.path", "/bin/sh")
        .containsEntry("process.executable.name", "sh")
        .containsEntry("process.command_args", List.of("/bin/sh", "-c", "exit 3"))
        .containsEntry("process.pid", Long.parseLong(pidLine.substring("exit 3 pid ".length())))
        .containsEntry("code.function.name", ProcessWorkload.class.getName() + ".main");
    assertThat(sh.attributes()).containsKey("process.working_directory");
    // A shell is an interpreter: ATT&CK T1059.004 and ICS T0807 on top of the native-API techniques.
    assertThat((List<Object>) sh.attribute("threat.technique.id")).contains("T1059", "T1059.004", "T0807", "T1106");
    assertThat(sh.isError()).isFalse();
  }

  @Test
  void runtimeExecGoesThroughProcessBuilder() {
    single(spans, named("process.exec").and(s -> "/bin/echo runtime-exec-string".equals(
        s.string("process.command_line"))), "Runtime.exec(String)");
    single(spans, named("process.exec").and(s -> "/bin/echo runtime-exec-array".equals(
        s.string("process.command_line"))), "Runtime.exec(String[])");
  }

  @Test
  void secretsOnTheCommandLineNeverLeaveTheProcess() {
    ReceivedSpan echo =
        single(spans, named("process.exec").and(s -> String.valueOf(s.string("process.command_line"))
            .contains("--password")), "password command");
    assertThat(echo.string("process.command_line")).isEqualTo("/bin/echo --password=<redacted> -u admin");
    for (byte[] request : raw) {
      assertThat(new String(request, StandardCharsets.ISO_8859_1)).doesNotContain("hunter2-secret");
    }
  }

  @Test
  void aMissingExecutableIsAnErrorAndTheApplicationSeesTheUsualException() {
    ReceivedSpan missing =
        single(spans, named("process.exec").and(s -> "/nonexistent/definitely-missing-binary".equals(
            s.string("process.executable.path"))), "missing binary");
    assertThat(missing.isError()).isTrue();
    assertThat(missing.string("error.type")).isEqualTo("java.io.IOException");
    assertThat(missing.statusMessage()).startsWith("Cannot run program \"/nonexistent/definitely-missing-binary\"");
    assertThat(missing.attributes()).doesNotContainKey("process.pid");
    assertThat(result.stdout())
        .contains("missing: java.io.IOException: Cannot run program \"/nonexistent/definitely-missing-binary\"");
  }
}
