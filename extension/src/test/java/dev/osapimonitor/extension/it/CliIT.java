package dev.osapimonitor.extension.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.osapimonitor.extension.it.apps.ControlledWorkload;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar osapi-monitor-extension.jar validate ...}: exit codes and messages for users' CI pipelines. */
class CliIT {

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  static Run cli(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ChildJvm.javaExecutable(), "-jar",
        System.getProperty("osapi.it.extensionJar")));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("cli", ".out");
    Path err = Files.createTempFile("cli", ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void validateAcceptsTheShippedPolicies() throws Exception {
    String policies = System.getProperty("osapi.it.policies");
    Run run = cli("validate", policies + "/default.yaml", policies + "/capture-all.yaml",
        policies + "/ics-maintenance.yaml", policies + "/incident-response.yaml");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out().lines()).hasSize(4).allSatisfy(l -> assertThat(l).startsWith("OK "));
  }

  @Test
  void validateAcceptsEveryMatchKeyIncludingRequestAttributes() throws Exception {
    // match.request needs the OpenTelemetry API inside the agent; the validate command has none and must not need it.
    Path policy = dir.resolve("request.yaml");
    Files.writeString(policy, "version: 1\nrules:\n  - name: diag\n    match:\n      family: process\n"
        + "      request: {http.route: \"/diagnostics*\"}\n      enduser: \"admin*\"\n      caller: \"com.acme.**\"\n"
        + "    action: capture\n");
    Run run = cli("validate", policy.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("OK ");
  }

  @Test
  void validateRejectsABadPolicyWithFileLineAndKey() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "version: 1\nrules:\n  - name: r\n    action: capture\n    match:\n      peer: 10.0.0.0/40\n");
    Run run = cli("validate", Paths.get(System.getProperty("osapi.it.policies"), "default.yaml").toString(),
        bad.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().trim())
        .isEqualTo("INVALID " + bad + ":6: rules[0].match.peer: CIDR prefix out of range (0-32) in '10.0.0.0/40'");
  }

  @Test
  void usageErrorsExitWithTwo() throws Exception {
    assertThat(cli().exit()).isEqualTo(2);
    assertThat(cli("frobnicate").exit()).isEqualTo(2);
    assertThat(cli("validate").exit()).isEqualTo(2);
    assertThat(cli("validate", dir.resolve("missing.yaml").toString()).exit()).isEqualTo(1);
  }

  @Test
  void flagRaiseListAndLowerReachARunningJvmAndAreAudited() throws Exception {
    try (GrpcOtlpReceiver receiver = new GrpcOtlpReceiver()) {
      Process app =
          ChildJvm.of(ControlledWorkload.class)
              .examplePolicy("default.yaml")
              .property("otel.instrumentation.osapi.jmx.enabled", "true")
              .exportTo(receiver)
              .args(dir.toString())
              .start(dir.resolve("app.out"), dir.resolve("app.err"));
      String pid = String.valueOf(app.pid());
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(dir.resolve("app.out")).contains("ready"));
        Run list = cli("flag", "list", "--pid", pid);
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("default.yaml").contains("no active flags");
        // Unflagged, the default policy exports none of the application's file reads.
        Thread.sleep(500);
        assertThat(receiver.spans(s -> "file.open".equals(s.name()))).isEmpty();

        Run bad = cli("flag", "raise", "--pid", pid, "--name", "inc-cli", "--reason", "x", "--ttl", "forever");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("refused by JVM " + pid).contains("ttl must be a duration");

        Run raise = cli("flag", "raise", "--pid", pid, "--name", "inc-cli", "--reason", "SOC looks at the HMI",
            "--ttl", "10m", "--ticket", "INC-77", "--families", "file");
        assertThat(raise.exit()).as(raise.err()).isZero();
        assertThat(raise.out()).contains("inc-cli");
        await().atMost(Duration.ofSeconds(20)).until(
            () -> !receiver.spans(s -> "file.open".equals(s.name()) && "flag".equals(s.string("osapi.capture.kind"))
                && String.valueOf(s.string("file.path")).endsWith("tick.txt")).isEmpty());
        assertThat(cli("flag", "list", "--pid", pid).out()).contains("inc-cli").contains("INC-77");

        Run lower = cli("flag", "lower", "--pid", pid, "--name", "inc-cli", "--reason", "closed");
        assertThat(lower.exit()).as(lower.err()).isZero();
        assertThat(lower.out()).contains("lowered 1");
        assertThat(cli("flag", "lower", "--pid", pid, "--name", "inc-cli", "--reason", "again").exit()).isEqualTo(1);
      } finally {
        Files.writeString(dir.resolve("stop"), "");
        assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
      ReceivedSpan raised = receiver.named("osapi.audit flag.raise").get(0);
      assertThat(raised.attributes())
          .containsEntry("osapi.audit.actor", "jmx:local")
          .containsEntry("osapi.audit.ticket", "INC-77")
          .containsEntry("osapi.flag.source", "jmx");
      assertThat(receiver.named("osapi.audit flag.lower")).hasSize(1);
    }
  }

  @Test
  void flagExplainsWhatItCannotReach() throws Exception {
    Process plain =
        ChildJvm.of(ControlledWorkload.class).agent(ChildJvm.Agent.NONE).args(dir.toString())
            .start(dir.resolve("plain.out"), dir.resolve("plain.err"));
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(dir.resolve("plain.out")).contains("ready"));
      Run run = cli("flag", "list", "--pid", String.valueOf(plain.pid()));
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.err()).contains("has no osapi-monitor FlagControl");
    } finally {
      Files.writeString(dir.resolve("stop"), "");
      assertThat(plain.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(cli("flag", "list", "--pid", "not-a-pid").exit()).isEqualTo(2);
    assertThat(cli("flag", "raise", "--pid", "1", "--name", "x").exit()).isEqualTo(2);
    assertThat(cli("flag", "frob").exit()).isEqualTo(2);
  }
}
