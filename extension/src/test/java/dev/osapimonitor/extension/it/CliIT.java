package dev.osapimonitor.extension.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
}
