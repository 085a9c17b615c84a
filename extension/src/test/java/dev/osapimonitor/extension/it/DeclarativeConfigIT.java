package dev.osapimonitor.extension.it;

import static dev.osapimonitor.extension.it.Spans.named;
import static dev.osapimonitor.extension.it.Spans.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.extension.it.apps.ParentingWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's declarative configuration (otel.config.file): the policy embedded under
 * instrumentation/development.java.osapi.policy, or named there by path.
 */
class DeclarativeConfigIT {

  @TempDir Path dir;

  private static String config(OtlpReceiver receiver, String osapi) {
    return String.join(
        "\n",
        "file_format: \"1.1\"",
        "tracer_provider:",
        "  processors:",
        "    - batch:",
        "        schedule_delay: 100",
        "        exporter:",
        "          otlp_http:",
        "            endpoint: " + receiver.endpoint() + "/v1/traces",
        "instrumentation/development:",
        "  java:",
        "    osapi:",
        osapi,
        "");
  }

  @Test
  void anEmbeddedPolicyIsReadWithItsLineNumbers() throws Exception {
    List<ReceivedSpan> spans;
    Path file = dir.resolve("otel.yaml");
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      Files.writeString(file, config(receiver, String.join("\n",
          "      jmx: {enabled: false}",
          "      policy:",
          "        version: 1",
          "        flags:",
          "          - {name: declared, reason: from otel.yaml, owner: ops, ttl: 1h, scope: {families: [process]}}")));
      ChildJvm.Result r = ChildJvm.of(ParentingWorkload.class).property("otel.config.file", file.toString()).run();
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      spans = receiver.spans();
    }
    ReceivedSpan exec = single(spans, named("process.exec"), "exec");
    assertThat(exec.attributes()).containsEntry("osapi.capture.reason", "declared");
    assertThat(Spans.where(spans, named("file.open"))).isEmpty();
    ReceivedSpan load = single(spans, named("osapi.audit policy.load"), "load");
    assertThat(load.string("osapi.policy.source"))
        .isEqualTo(file + " [instrumentation/development/java/osapi/policy]");
  }

  @Test
  void aPolicyPathInTheDeclarativeFileAndErrorsNamingTheEmbeddedLine() throws Exception {
    Path file = dir.resolve("otel-path.yaml");
    List<ReceivedSpan> spans;
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      Files.writeString(file, config(receiver, "      policy: " + System.getProperty("osapi.it.policies")
          + "/capture-all.yaml"));
      ChildJvm.Result r = ChildJvm.of(ParentingWorkload.class).property("otel.config.file", file.toString()).run();
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      spans = receiver.spans();
    }
    assertThat(Spans.where(spans, named("process.exec"))).hasSize(1);

    Path broken = dir.resolve("otel-broken.yaml");
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      Files.writeString(broken, config(receiver, String.join("\n",
          "      policy:",
          "        version: 1",
          "        rules:",
          "          - {name: r, action: capture, match: {family: files}}")));
      ChildJvm.Result r = ChildJvm.of(ParentingWorkload.class).property("otel.config.file", broken.toString()).run();
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      spans = receiver.spans();
    }
    ReceivedSpan rejected = single(spans, named("osapi.audit policy.rejected"), "rejected");
    assertThat(rejected.string("osapi.audit.error")).startsWith(broken + ":15: rules[0].match.family: unknown family 'files'");
  }
}
