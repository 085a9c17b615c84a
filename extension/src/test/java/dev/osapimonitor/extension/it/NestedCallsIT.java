package dev.osapimonitor.extension.it;

import static dev.osapimonitor.extension.it.Spans.attr;
import static dev.osapimonitor.extension.it.Spans.named;
import static dev.osapimonitor.extension.it.Spans.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.extension.it.apps.NestedCallsWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OS calls made by the code a JNDI lookup, a deserialization or a script evaluation runs are recorded on their
 * own — a gadget's shell inside {@code readObject} is exactly what the product exists to see — while a nested call
 * of the same kind stays part of the outer one.
 */
class NestedCallsIT {

  @TempDir Path dir;

  /** Runs the workload under an example policy; adds the spans it exported to {@code spans}. */
  private static ChildJvm.Result run(String policy, Path file, List<ReceivedSpan> spans) throws Exception {
    ChildJvm.Result result;
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      result = ChildJvm.of(NestedCallsWorkload.class).examplePolicy(policy).exportTo(receiver)
          .args(file.toString()).run();
      spans.addAll(receiver.spans());
    }
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return result;
  }

  @Test
  void callsInsideContainersAreRecordedAndParentedUnderThem() throws Exception {
    Path secret = Files.writeString(dir.resolve("plc-credentials.txt"), "operator:hunter2");
    List<ReceivedSpan> spans = new ArrayList<>();
    ChildJvm.Result result = run("capture-all.yaml", secret, spans);
    assertThat(result.stdout()).contains("gadget nested TagValue", "gadget shell 3", "gadget read 16",
        "deserialized Gadget", "script 0");

    // The gadget: its shell and its file read, attributed to the gadget's readObject.
    ReceivedSpan shell = single(spans, named("process.exec").and(attr("process.executable.path", "/bin/sh")),
        "the gadget's shell");
    assertThat(shell.string("code.function.name")).isEqualTo(NestedCallsWorkload.Gadget.class.getName() + ".readObject");
    ReceivedSpan read = single(spans, named("file.open").and(attr("file.path", secret.toString())), "gadget read");
    assertThat(read.string("code.function.name")).isEqualTo(NestedCallsWorkload.Gadget.class.getName() + ".readObject");
    // One deserialization span for the outer readObject, listing the nested object's class too.
    List<ReceivedSpan> deserializations = Spans.where(spans, named("deserialization.read_object"));
    assertThat(deserializations).hasSize(1);
    assertThat(String.valueOf(deserializations.get(0).attribute("osapi.deserialization.classes")))
        .contains(NestedCallsWorkload.Gadget.class.getName(), "TagValue");

    // The lookup's connection to its server is a child of the lookup span.
    int port = Integer.parseInt(result.lines().stream().filter(l -> l.startsWith("jndi port ")).findFirst()
        .orElseThrow().substring("jndi port ".length()));
    ReceivedSpan lookup = single(spans, named("jndi.lookup"), "the lookup");
    ReceivedSpan connect = single(spans, named("network.connect").and(attr("server.port", (long) port)),
        "the lookup's connect");
    assertThat(connect.parentSpanId()).isEqualTo(lookup.spanId());
    assertThat(connect.traceId()).isEqualTo(lookup.traceId());

    // The script's process start is a child of the evaluation.
    ReceivedSpan eval = single(spans, named("code.eval"), "the evaluation");
    ReceivedSpan scripted = single(spans, named("process.exec").and(attr("process.executable.path", "/bin/true")),
        "the script's process");
    assertThat(scripted.parentSpanId()).isEqualTo(eval.spanId());
  }

  @Test
  void underTheDefaultPolicyAGadgetsShellFiresTheShellTrigger() throws Exception {
    List<ReceivedSpan> spans = new ArrayList<>();
    run("default.yaml", Files.writeString(dir.resolve("notes.txt"), "nothing"), spans);
    ReceivedSpan trigger = single(spans, named("process.exec").and(attr("osapi.capture.kind", "trigger"))
        .and(attr("process.executable.path", "/bin/sh")), "the shell trigger");
    assertThat(trigger.attributes())
        .containsEntry("osapi.rule", "shell-spawned")
        .containsEntry("code.function.name", NestedCallsWorkload.Gadget.class.getName() + ".readObject");
  }
}
