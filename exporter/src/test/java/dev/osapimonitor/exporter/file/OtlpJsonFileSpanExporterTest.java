package dev.osapimonitor.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.exporter.TestSpans;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtlpJsonFileSpanExporterTest {

  @TempDir Path dir;

  @Test
  void writesOneOtlpJsonRequestPerLineOwnerReadableOnly() throws Exception {
    Path file = dir.resolve("captures").resolve("captures.jsonl");
    OtlpJsonFileSpanExporter exporter = new OtlpJsonFileSpanExporter(file, 1 << 20, 3);
    assertThat(exporter.export(TestSpans.make(2)).isSuccess()).isTrue();
    assertThat(exporter.export(TestSpans.make(1)).isSuccess()).isTrue();
    exporter.shutdown();
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("{\"resourceSpans\":[").contains("\"name\":\"file.open\"")
        .contains("\"key\":\"file.path\",\"value\":{\"stringValue\":\"/tmp/f0\"}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
  }

  @Test
  void keepsCapturedTracesOnly() throws Exception {
    Path file = dir.resolve("c.jsonl");
    OtlpJsonFileSpanExporter exporter = new OtlpJsonFileSpanExporter(file, 1 << 20, 2);
    java.util.List<io.opentelemetry.sdk.trace.data.SpanData> spans = TestSpans.withRequests();
    exporter.export(spans.subList(0, 2)); // the API call, then its request span
    exporter.export(spans.subList(2, 3)); // a request with nothing captured
    exporter.shutdown();
    String text = Files.readString(file);
    assertThat(text).contains("\"name\":\"file.open\"").contains("\"name\":\"POST /diagnostics\"")
        .doesNotContain("GET /status");
  }

  @Test
  void rotatesBySizeKeepingAtMostMaxFiles() throws Exception {
    Path file = dir.resolve("c.jsonl");
    OtlpJsonFileSpanExporter exporter = new OtlpJsonFileSpanExporter(file, 4096, 3);
    for (int i = 0; i < 20; i++) {
      exporter.export(TestSpans.make(2));
    }
    exporter.shutdown();
    assertThat(Files.exists(file)).isTrue();
    assertThat(Files.exists(dir.resolve("c.1.jsonl"))).isTrue();
    assertThat(Files.exists(dir.resolve("c.2.jsonl"))).isTrue();
    assertThat(Files.exists(dir.resolve("c.3.jsonl"))).isFalse();
    assertThat(Files.size(file)).isLessThanOrEqualTo(4096 + 5000);
  }

  @Test
  void theSummaryReadsWhatTheFileDefaultWrote() throws Exception {
    Path file = dir.resolve("c.jsonl");
    OtlpJsonFileSpanExporter exporter = new OtlpJsonFileSpanExporter(file, 1 << 20, 2);
    exporter.export(TestSpans.make(3));
    exporter.shutdown();
    Files.writeString(file, "{\"truncated by a cra\n", java.nio.file.StandardOpenOption.APPEND);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        CaptureSummary.print(new String[] {file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(status).isZero();
    assertThat(text)
        .contains("3 spans in 1 traces, 3 OS-API calls")
        .contains("(1 unreadable line(s) skipped)")
        .contains("Top files")
        .contains("/tmp/f0");
  }
}
