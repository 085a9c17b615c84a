package dev.osapimonitor.extension.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.extension.it.ChildJvm.Agent;
import dev.osapimonitor.extension.it.apps.BehaviourWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the application sees does not depend on the agent: the same workload over every family, run bare, under
 * capture-all, and with the engine made to throw in the decision or while building attributes
 * ({@code otel.instrumentation.osapi.testing.fault}), prints byte-identical output.
 */
class BehaviourCompareIT {

  @TempDir Path dir;

  private ChildJvm.Result run(String name, ChildJvm child) throws Exception {
    Path work = Files.createDirectory(dir.resolve(name));
    ChildJvm.Result r = child.args(work.toString()).run();
    assertThat(r.exitCode()).as(name + ": " + r.stderr()).isZero();
    // The directory differs per run: compare what the application printed about it, not where it was.
    return new ChildJvm.Result(r.exitCode(), r.stdout().replace(work.toString(), "<dir>"), r.stderr(), r.pid());
  }

  @Test
  void theApplicationSeesTheSameWithAndWithoutTheAgentAndWhenTheEngineFails() throws Exception {
    ChildJvm.Result bare = run("bare", ChildJvm.of(BehaviourWorkload.class).agent(Agent.NONE));
    assertThat(bare.stdout()).contains("exec -> hello plant exit 0").contains("connect -> 42").endsWith("done\n");

    List<ReceivedSpan> captured;
    ChildJvm.Result monitored;
    try (GrpcOtlpReceiver receiver = new GrpcOtlpReceiver()) {
      monitored = run("monitored", ChildJvm.of(BehaviourWorkload.class).examplePolicy("capture-all.yaml")
          .exportTo(receiver));
      captured = receiver.apiSpans();
    }
    assertThat(monitored.stdout()).isEqualTo(bare.stdout());
    // Every family was recorded in the monitored run.
    assertThat(captured.stream().map(s -> s.string("osapi.family")).distinct())
        .contains("file", "process", "network", "dns", "native", "env", "jndi", "deserialization", "code");

    for (String fault : List.of("decision", "attributes")) {
      try (GrpcOtlpReceiver receiver = new GrpcOtlpReceiver()) {
        ChildJvm.Result faulty = run("fault-" + fault, ChildJvm.of(BehaviourWorkload.class)
            .examplePolicy("capture-all.yaml")
            .property("otel.instrumentation.osapi.testing.fault", fault)
            .exportTo(receiver));
        assertThat(faulty.stdout()).as("with the engine throwing in " + fault).isEqualTo(bare.stdout());
        // The fault was in force: nothing captured, and the start-up said so.
        assertThat(receiver.apiSpans()).as(fault).isEmpty();
        assertThat(receiver.named("osapi.audit config.insecure")).hasSize(1);
      }
    }
  }
}
