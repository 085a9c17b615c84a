package dev.osapimonitor.extension.it;

import static dev.osapimonitor.extension.it.Spans.named;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.extension.it.apps.ParentingWorkload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every exported API span carries who the monitored process is: pid, parent, user, ids, host, command line. */
class IdentityIT {

  @Test
  void resourceCarriesProcessAndUserIdentityWithARedactedCommandLine() throws Exception {
    List<ReceivedSpan> spans;
    List<byte[]> raw;
    ChildJvm.Result result;
    try (GrpcOtlpReceiver receiver = new GrpcOtlpReceiver()) {
      result =
          ChildJvm.of(ParentingWorkload.class)
              .examplePolicy("capture-all.yaml")
              .jvmArg("-Dplant.db.password=s3cr3t-identity-value")
              .exportTo(receiver)
              .run();
      spans = receiver.apiSpans();
      raw = receiver.rawRequests();
    }
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    ReceivedSpan exec = Spans.first(spans, named("process.exec"), "exec");
    long[] ids = uidAndEuid();
    assertThat(exec.resource())
        .containsEntry("process.pid", result.pid())
        .containsEntry("process.parent_pid", ProcessHandle.current().pid())
        .containsEntry("process.owner", System.getProperty("user.name"))
        .containsEntry("process.user.name", System.getProperty("user.name"))
        .containsEntry("process.real_user.id", ids[0])
        .containsEntry("process.user.id", ids[1])
        .containsKey("host.name")
        .containsKey("process.executable.path")
        .containsKey("osapi.policy.sha256");
    assertThat(String.valueOf(exec.resource().get("process.command_line")))
        .contains("-Dplant.db.password=<redacted>")
        .contains(ParentingWorkload.class.getName());
    for (byte[] request : raw) {
      assertThat(new String(request, StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t-identity-value");
    }
  }

  private static long[] uidAndEuid() throws Exception {
    for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.UTF_8)) {
      if (line.startsWith("Uid:")) {
        String[] parts = line.substring(4).trim().split("\\s+");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
      }
    }
    throw new AssertionError("no Uid line");
  }
}
