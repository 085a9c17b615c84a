package dev.osapimonitor.extension.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.extension.it.ChildJvm.Agent;
import dev.osapimonitor.extension.it.apps.HostileWorkload;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hostile inputs through the real agent under capture-all, in a 96 MiB heap: the application's output is the same
 * as without the agent, every exported text value is bounded ({@code settings.max_attribute_length}, default
 * 4096, plus the truncation mark) and marked when cut, control and bidi characters are escaped, and the
 * argument list is capped while its real length is kept.
 */
class HostileInputIT {

  static final int LIMIT = 4096 + "...[truncated 99999999 chars]".length();

  @Test
  void hostileInputsAreBoundedEscapedAndInvisibleToTheApplication() throws Exception {
    ChildJvm.Result bare = ChildJvm.of(HostileWorkload.class).agent(Agent.NONE).jvmArg("-Xmx96m").run();
    assertThat(bare.exitCode()).as(bare.stderr()).isZero();
    List<ReceivedSpan> spans;
    ChildJvm.Result monitored;
    try (GrpcOtlpReceiver receiver = new GrpcOtlpReceiver()) {
      monitored = ChildJvm.of(HostileWorkload.class).jvmArg("-Xmx96m").examplePolicy("capture-all.yaml")
          .exportTo(receiver).timeoutSeconds(180).run();
      spans = receiver.apiSpans();
    }
    assertThat(monitored.exitCode()).as(monitored.stderr()).isZero();
    assertThat(monitored.stdout()).isEqualTo(bare.stdout());
    assertThat(bare.stdout()).contains("deserialize-3000-levels -> 3000 leaf").endsWith("done\n");
    System.out.println("FIGURE hostile " + monitored.stderr().lines().filter(l -> l.startsWith("heap-used"))
        .findFirst().orElse("") + " (bare " + bare.stderr().lines().filter(l -> l.startsWith("heap-used"))
        .findFirst().orElse("") + ")");

    // Every text attribute of every span is bounded.
    for (ReceivedSpan s : spans) {
      for (Map.Entry<String, Object> a : s.attributes().entrySet()) {
        if (a.getValue() instanceof String) {
          assertThat(((String) a.getValue()).length()).as(s.name() + " " + a.getKey()).isLessThanOrEqualTo(LIMIT);
        }
      }
    }
    ReceivedSpan bigArg = spans.stream().filter(s -> s.name().equals("process.exec")
        && String.valueOf(s.string("process.executable.path")).equals("/bin/echo")).findFirst().orElseThrow();
    assertThat(bigArg.isError()).as("E2BIG").isTrue();
    assertThat(bigArg.string("process.command_line")).contains("...[truncated ");
    assertThat(bigArg.attribute("osapi.truncated")).isEqualTo(true);

    ReceivedSpan manyArgs = spans.stream().filter(s -> s.name().equals("process.exec")
        && String.valueOf(s.string("process.executable.path")).equals("/bin/true")).findFirst().orElseThrow();
    assertThat(manyArgs.attribute("osapi.process.args_count")).isEqualTo(100_001L);
    assertThat((List<?>) manyArgs.attribute("process.command_args")).hasSize(256);

    List<String> paths = spans.stream().filter(s -> s.name().equals("file.open"))
        .map(s -> s.string("file.path")).filter(p -> p != null && p.startsWith("/nonexistent")).toList();
    assertThat(paths).anySatisfy(p -> assertThat(p).contains("report\\x0a2026-12-03 INFO fake log line\\x1b[31m.csv"));
    assertThat(paths).anySatisfy(p -> assertThat(p).contains("invoice\\u202egpj.exe"));
    assertThat(paths).anySatisfy(p -> assertThat(p).startsWith("/nonexistent/ddd").contains("...[truncated "));
    assertThat(paths).noneMatch(p -> p.indexOf('\n') >= 0 || p.indexOf('\u202E') >= 0 || p.indexOf('\u001b') >= 0);

    ReceivedSpan dns = spans.stream().filter(s -> s.name().equals("dns.resolve")
        && String.valueOf(s.string("dns.question.name")).endsWith(".invalid")).findFirst().orElseThrow();
    assertThat(dns.isError()).isTrue();
    ReceivedSpan deep = spans.stream().filter(s -> s.name().equals("deserialization.read_object")).findFirst()
        .orElseThrow();
    assertThat(deep.attributes().toString().length()).isLessThan(64 * 1024);
  }
}
