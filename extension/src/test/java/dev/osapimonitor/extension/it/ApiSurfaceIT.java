package dev.osapimonitor.extension.it;

import static dev.osapimonitor.extension.it.Spans.attr;
import static dev.osapimonitor.extension.it.Spans.named;
import static dev.osapimonitor.extension.it.Spans.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.extension.it.apps.ApiSurfaceWorkload;
import dev.osapimonitor.extension.it.apps.ExitWorkload;
import dev.osapimonitor.extension.it.apps.RuntimeDefined;
import dev.osapimonitor.extension.it.apps.TraceparentChildWorkload;
import dev.osapimonitor.extension.it.apps.TraceparentParentWorkload;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The complete OS-API surface under capture-all: native, env, JNDI, deserialization, code, DNS, UDP, child exit
 * codes, JVM exit; the caller and ATT&CK tags on them; trace context carried into a child JVM.
 */
class ApiSurfaceIT {

  static List<ReceivedSpan> spans;
  static List<byte[]> raw;
  static ChildJvm.Result result;

  @BeforeAll
  static void run() throws Exception {
    try (GrpcOtlpReceiver receiver = new GrpcOtlpReceiver()) {
      result =
          ChildJvm.of(ApiSurfaceWorkload.class)
              .examplePolicy("capture-all.yaml")
              .jvmArg("-Djdk.attach.allowAttachSelf=true")
              .env("PLANT_DB_PASSWORD", "env-S3cret-value-never-exported")
              .exportTo(receiver)
              .run();
      spans = receiver.apiSpans();
      raw = receiver.rawRequests();
    }
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("done");
  }

  private static String caller() {
    return ApiSurfaceWorkload.class.getName();
  }

  @Test
  void nativeLoadsWithResolvedPathAndFailure() {
    ReceivedSpan zip = single(spans, named("native.load").and(attr("osapi.native.library", "zip")), "loadLibrary");
    assertThat(zip.string("file.path")).endsWith("/libzip.so");
    assertThat(zip.string("code.function.name")).startsWith(caller() + ".");
    assertThat((List<Object>) (List<?>) zip.attribute("threat.technique.id")).contains("T1106", "T1129", "T0834");
    ReceivedSpan missing =
        single(spans, named("native.load").and(attr("osapi.native.library", "/nonexistent/osapi/libimplant.so")),
            "load");
    assertThat(missing.isError()).isTrue();
    assertThat(missing.string("error.type")).isEqualTo("java.lang.UnsatisfiedLinkError");
  }

  @Test
  void environmentReadsCarryTheNameNeverTheValue() {
    single(spans, named("env.read").and(attr("osapi.env.name", "PLANT_DB_PASSWORD")), "getenv(name)");
    assertThat(Spans.where(spans, named("env.read").and(attr("osapi.env.name", "*")))).isNotEmpty();
    for (byte[] request : raw) {
      assertThat(new String(request, StandardCharsets.ISO_8859_1)).doesNotContain("env-S3cret-value-never-exported");
    }
  }

  @Test
  void jndiLookupsWithSchemeRedactionAndFailure() {
    ReceivedSpan ldap =
        single(spans, named("jndi.lookup").and(attr("osapi.jndi.name", "ldap://127.0.0.1:1/cn=Exploit")), "ldap");
    assertThat(ldap.attributes()).containsEntry("osapi.jndi.scheme", "ldap");
    assertThat(ldap.isError()).isTrue();
    assertThat((List<Object>) (List<?>) ldap.attribute("threat.technique.id")).contains("T1190", "T0819");
    ReceivedSpan creds =
        single(spans, named("jndi.lookup").and(s -> String.valueOf(s.string("osapi.jndi.name")).contains("admin:")),
            "credentials in name");
    assertThat(creds.string("osapi.jndi.name")).isEqualTo("ldap://admin:<redacted>@127.0.0.1:1/o=plant");
    for (byte[] request : raw) {
      assertThat(new String(request, StandardCharsets.ISO_8859_1)).doesNotContain("jndi-S3cret");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void deserializationShowsTheTopClassAndEveryClassRead() {
    ReceivedSpan read = single(spans, named("deserialization.read_object"), "readObject");
    assertThat(read.string("osapi.deserialization.class")).isEqualTo("java.util.HashMap");
    assertThat((List<Object>) read.attribute("osapi.deserialization.classes"))
        .contains("java.util.HashMap", ApiSurfaceWorkload.TagValue.class.getName());
    assertThat(read.string("code.function.name")).startsWith(caller() + ".");
  }

  @Test
  void scriptsClassDefinitionAndAttach() {
    ReceivedSpan eval = single(spans, named("code.eval"), "eval");
    // The workload's own frame, not the script engine's eval (the instrumented class is stepped over).
    assertThat(eval.string("code.function.name")).startsWith(caller() + ".lambda$main$");
    assertThat(eval.attributes())
        .containsEntry("osapi.code.engine", "tiny-adder")
        .containsEntry("osapi.code.script_length", 6L)
        .containsEntry("osapi.code.script_prefix", "40 + 2");
    ReceivedSpan defined =
        single(spans, named("code.define_class").and(attr("osapi.code.hidden", false)), "defineClass");
    assertThat(defined.string("osapi.code.class")).isEqualTo(RuntimeDefined.class.getName());
    ReceivedSpan hidden =
        single(spans, named("code.define_class").and(attr("osapi.code.hidden", true)), "defineHiddenClass");
    assertThat(hidden.string("osapi.code.class")).startsWith(RuntimeDefined.class.getName());
    assertThat((List<Object>) (List<?>) defined.attribute("threat.technique.id")).contains("T1620");
    ReceivedSpan attach = single(spans, named("code.attach"), "attach");
    assertThat(attach.string("osapi.attach.target")).isEqualTo(String.valueOf(result.pid()));
    ReceivedSpan agent = single(spans, named("code.load_agent"), "loadAgent");
    assertThat(agent.string("osapi.attach.agent")).isEqualTo("/nonexistent/osapi/agent.jar");
    assertThat(agent.isError()).isTrue();
    assertThat((List<Object>) (List<?>) agent.attribute("threat.technique.id")).contains("T1055");
  }

  @Test
  @SuppressWarnings("unchecked")
  void dnsResolutionWithAnswers() {
    ReceivedSpan dns =
        Spans.first(spans, named("dns.resolve").and(attr("dns.question.name", "localhost"))
            .and(s -> caller().equals(String.valueOf(s.string("code.function.name")).replaceAll("\\.[^.]*$", ""))
                || String.valueOf(s.string("code.function.name")).startsWith(caller())),
            "getByName(localhost)");
    assertThat((List<Object>) dns.attribute("dns.answers")).isNotEmpty();
  }

  @Test
  void udpBindConnectAndOnlyTheFirstSendToEachPeer() {
    String[] peers = result.lines().stream().filter(l -> l.startsWith("udp peers ")).findFirst().orElseThrow()
        .split(" ");
    long a = Long.parseLong(peers[2]);
    long b = Long.parseLong(peers[3]);
    assertThat(Spans.where(spans, named("network.send").and(attr("server.port", a)))).hasSize(1);
    assertThat(Spans.where(spans, named("network.send").and(attr("server.port", b)))).hasSize(1);
    ReceivedSpan send = Spans.first(spans, named("network.send").and(attr("server.port", a)), "send");
    assertThat(send.attributes()).containsEntry("network.transport", "udp");
    assertThat(Spans.where(spans, named("network.bind").and(attr("network.transport", "udp")))).hasSizeGreaterThan(2);
    assertThat(Spans.where(spans, named("network.connect").and(attr("network.transport", "udp"))
        .and(attr("server.port", a)))).hasSize(1);
  }

  @Test
  void childExitCodesOncePerChild() {
    long waitedPid = pidOf("waitFor ");
    long asyncPid = pidOf("onExit ");
    ReceivedSpan waited = single(spans, named("process.wait").and(attr("process.pid", waitedPid)), "waitFor");
    assertThat(waited.attributes()).containsEntry("process.exit.code", 5L);
    ReceivedSpan async = single(spans, named("process.wait").and(attr("process.pid", asyncPid)), "onExit");
    assertThat(async.attributes()).containsEntry("process.exit.code", 9L);
  }

  private static long pidOf(String prefix) {
    String line = result.lines().stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    return Long.parseLong(line.substring(line.indexOf(" pid ") + 5).trim());
  }

  @Test
  void theJvmsOwnExitNamesWhoStoppedIt() throws Exception {
    for (String mode : new String[] {"exit", "halt"}) {
      List<ReceivedSpan> exits;
      ChildJvm.Result r;
      try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
        r = ChildJvm.of(ExitWorkload.class).examplePolicy("capture-all.yaml").exportTo(receiver).args(mode).run();
        exits = receiver.spans(named("process." + mode));
      }
      assertThat(r.exitCode()).isEqualTo(mode.equals("exit") ? 7 : 8);
      assertThat(exits).hasSize(1);
      assertThat(exits.get(0).attributes())
          .containsEntry("process.exit.code", mode.equals("exit") ? 7L : 8L)
          .containsEntry("code.function.name", ExitWorkload.class.getName() + ".main");
    }
  }

  @Test
  void aChildJvmStartedInATraceJoinsIt() throws Exception {
    List<ReceivedSpan> all;
    ChildJvm.Result r;
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      r = ChildJvm.of(TraceparentParentWorkload.class).examplePolicy("capture-all.yaml").exportTo(receiver).run();
      all = receiver.spans();
    }
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    String traceId = r.lines().stream().filter(l -> l.startsWith("parent ")).findFirst().orElseThrow().substring(7);
    ReceivedSpan exec =
        single(all, named("process.exec").and(s -> String.valueOf(s.string("process.command_line"))
            .contains(TraceparentChildWorkload.class.getName())), "the child's start");
    assertThat(exec.traceId()).isEqualTo(traceId);
    // The flags byte may carry the W3C random-trace-id bit (03) besides "sampled".
    assertThat(r.stdout()).containsPattern("child TRACEPARENT=00-" + traceId + "-" + exec.spanId() + "-0[13]");
    // The child's own capture root continues the parent's trace, under the exec span.
    ReceivedSpan childRead =
        single(all, named("file.open").and(attr("file.path", "/etc/hostname"))
            .and(s -> !s.resource().get("process.pid").equals(exec.resource().get("process.pid"))), "child read");
    assertThat(childRead.traceId()).isEqualTo(traceId);
    ReceivedSpan childRoot = single(all, s -> s.spanId().equals(childRead.parentSpanId()), "child root");
    assertThat(childRoot.name()).isEqualTo("osapi.capture capture-all");
    assertThat(childRoot.parentSpanId()).isEqualTo(exec.spanId());
  }
}
