package dev.osapimonitor.extension.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.extension.it.apps.IdleWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Under capture-all, nothing describes the agent's or the extension's own activity: the exporter's connections, the
 * agent and extension jars, the policy file, the bootstrap bridge. Also with {@code settings.caller.enabled: false},
 * where no stack is walked and the agent's calls are recognised by their threads alone.
 */
class SelfTrafficIT {

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"grpc, true", "http/protobuf, true", "grpc, false"})
  void noSpanDescribesTheMonitorsOwnFilesOrSockets(String protocol, boolean withCaller) throws Exception {
    Path policy = Paths.get(System.getProperty("osapi.it.policies"), "capture-all.yaml");
    if (!withCaller) {
      policy = dir.resolve("capture-all-no-caller.yaml");
      Files.writeString(policy, "version: 1\nflags: [{name: all, reason: test, owner: it, expires: never}]\n"
          + "settings: {caller: {enabled: false}}\n");
    }
    List<ReceivedSpan> spans;
    int port;
    ChildJvm.Result result;
    try (OtlpReceiver receiver = protocol.equals("grpc") ? new GrpcOtlpReceiver() : new HttpOtlpReceiver()) {
      port = Integer.parseInt(receiver.endpoint().substring(receiver.endpoint().lastIndexOf(':') + 1));
      result = ChildJvm.of(IdleWorkload.class).policy(policy).exportTo(receiver).run();
      spans = receiver.apiSpans();
      assertThat(receiver.requestCount()).isGreaterThan(1);
    }
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(Spans.where(spans, s -> s.string("file.path") != null && s.string("file.path").equals("/etc/hostname")))
        .as("the application's own reads are there")
        .hasSizeGreaterThanOrEqualTo(5);
    assertThat(Spans.where(spans, s -> Long.valueOf(port).equals(s.attribute("server.port"))
            || Long.valueOf(port).equals(s.attribute("network.peer.port"))))
        .as("exporter connections")
        .isEmpty();
    assertThat(Spans.where(spans, s -> {
          String path = s.string("file.path");
          return path != null
              && (path.contains("opentelemetry-javaagent") || path.contains("osapi-monitor") || path.contains("it-spool")
                  || path.endsWith(".yaml"));
        }))
        .as("the agent's and extension's files")
        .isEmpty();
    assertThat(Spans.where(spans, s -> {
          String caller = s.string("code.function.name");
          return caller != null
              && (caller.startsWith("io.opentelemetry.") || caller.startsWith("dev.osapimonitor.processors")
                  || caller.startsWith("dev.osapimonitor.exporter") || caller.startsWith("okhttp3."));
        }))
        .as("calls made by the agent's or the extension's code")
        .isEmpty();
    if (!withCaller) {
      assertThat(Spans.where(spans, s -> s.string("code.function.name") != null)).as("no caller frames").isEmpty();
    }
  }

  @org.junit.jupiter.api.Test
  @SuppressWarnings("unchecked")
  void theLocalFileDefaultRecordsNoneOfItsOwnWrites() throws Exception {
    Path capture = dir.resolve("captures.jsonl");
    ChildJvm.Result result = ChildJvm.of(IdleWorkload.class).examplePolicy("capture-all.yaml")
        .property("otel.instrumentation.osapi.exporter.file.path", capture.toString()).run();
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    List<String> paths = new java.util.ArrayList<>();
    org.snakeyaml.engine.v2.api.Load load = new org.snakeyaml.engine.v2.api.Load(
        org.snakeyaml.engine.v2.api.LoadSettings.builder().setCodePointLimit(64 * 1024 * 1024).build());
    for (String line : Files.readAllLines(capture)) {
      java.util.Map<String, Object> request = (java.util.Map<String, Object>) load.loadFromString(line);
      for (Object rs : (List<Object>) request.get("resourceSpans")) {
        for (Object ss : (List<Object>) ((java.util.Map<String, Object>) rs).get("scopeSpans")) {
          for (Object span : (List<Object>) ((java.util.Map<String, Object>) ss).get("spans")) {
            Object attributes = ((java.util.Map<String, Object>) span).get("attributes");
            for (Object a : attributes == null ? List.of() : (List<Object>) attributes) {
              java.util.Map<String, Object> kv = (java.util.Map<String, Object>) a;
              if ("file.path".equals(kv.get("key"))) {
                paths.add(String.valueOf(((java.util.Map<String, Object>) kv.get("value")).get("stringValue")));
              }
            }
          }
        }
      }
    }
    assertThat(paths).as("the application's own reads are there").contains("/etc/hostname");
    assertThat(paths).as("the capture file, the agent's and the extension's files")
        .noneMatch(p -> p.startsWith(dir.toString()) || p.contains("opentelemetry-javaagent")
            || p.contains("osapi-monitor") || p.endsWith(".yaml"));
  }
}
