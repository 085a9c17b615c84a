package dev.osapimonitor.extension.it;

import static dev.osapimonitor.extension.it.Spans.attr;
import static dev.osapimonitor.extension.it.Spans.named;
import static dev.osapimonitor.extension.it.Spans.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.extension.it.apps.FileWorkload;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file family under capture-all: one child run, every instrumented file operation checked. */
class FileFamilyIT {

  @TempDir static Path dir;
  static List<ReceivedSpan> spans;
  static ChildJvm.Result result;

  @BeforeAll
  static void run() throws Exception {
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      result =
          ChildJvm.of(FileWorkload.class)
              .examplePolicy("capture-all.yaml")
              .exportTo(receiver)
              .args(dir.toString())
              .run();
      spans = receiver.apiSpans();
    }
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("done");
  }

  private static Predicate<ReceivedSpan> path(String name) {
    return attr("file.path", dir.resolve(name).toString());
  }

  @Test
  void javaIoOpensCarryPathAndMode() {
    List<ReceivedSpan> io = Spans.where(spans, named("file.open").and(path("io.txt")));
    assertThat(io).extracting(s -> s.string("osapi.file.mode")).containsExactly("write", "append", "read");
    ReceivedSpan write = io.get(0);
    assertThat(write.attributes())
        .containsEntry("osapi.family", "file")
        .containsEntry("osapi.operation", "open")
        .containsEntry("thread.name", "main")
        .containsEntry("code.function.name", FileWorkload.class.getName() + ".main")
        .containsEntry("code.file.path", "FileWorkload.java");
    assertThat(write.attributes()).containsKeys("thread.id", "code.line.number", "osapi.capture.window_id");
    assertThat(write.kind().name()).isEqualTo("SPAN_KIND_INTERNAL");
    assertThat(single(spans, named("file.open").and(path("raf.bin")), "RandomAccessFile").string("osapi.file.mode"))
        .isEqualTo("read_write");
    assertThat(Spans.where(spans, named("file.open").and(path("writer.txt"))))
        .extracting(s -> s.string("osapi.file.mode"))
        .containsExactly("write", "read");
  }

  @Test
  void nioOpensAreRecordedOnceEach() {
    // Files.write, readAllBytes, newInputStream, newByteChannel on nio.txt; nested opens inside give no extra span.
    assertThat(Spans.where(spans, named("file.open").and(path("nio.txt"))))
        .extracting(s -> s.string("osapi.file.mode"))
        .containsExactly("write", "read", "read", "read");
    assertThat(single(spans, named("file.open").and(path("nio-out.txt")), "newOutputStream").string("osapi.file.mode"))
        .isEqualTo("write");
    ReceivedSpan channel = single(spans, named("file.open").and(path("channel.bin")), "FileChannel.open");
    assertThat(channel.attributes())
        .containsEntry("osapi.file.mode", "write")
        .containsEntry("osapi.file.create", "if_missing");
  }

  @Test
  void createMkdirRenameChmodDelete() {
    assertThat(single(spans, named("file.create").and(path("created-nio.txt")), "Files.createFile").isError())
        .isFalse();
    single(spans, named("file.create").and(path("created-io.txt")), "File.createNewFile");
    single(spans, named("file.mkdir").and(path("made-io")), "File.mkdir");
    single(spans, named("file.mkdir").and(path("made-nio")), "Files.createDirectory");
    ReceivedSpan rename = single(spans, named("file.rename").and(path("created-io.txt")), "File.renameTo");
    assertThat(rename.string("osapi.file.target_path")).isEqualTo(dir.resolve("renamed-io.txt").toString());
    ReceivedSpan move = single(spans, named("file.rename").and(path("created-nio.txt")), "Files.move");
    assertThat(move.string("osapi.file.target_path")).isEqualTo(dir.resolve("moved-nio.txt").toString());
    assertThat(single(spans, named("file.chmod").and(path("renamed-io.txt")), "setExecutable")
            .string("osapi.file.change"))
        .isEqualTo("u+x");
    assertThat(single(spans, named("file.chmod").and(path("moved-nio.txt")), "setPosixFilePermissions")
            .string("osapi.file.change"))
        .isEqualTo("rw-r-----");
    single(spans, named("file.delete").and(path("renamed-io.txt")), "File.delete");
    single(spans, named("file.delete").and(path("moved-nio.txt")), "Files.delete");
  }

  @Test
  void aFailedOpenIsAnErrorWithTheExceptionTheApplicationSaw() {
    ReceivedSpan missing = single(spans, named("file.open").and(path("missing.txt")), "missing file");
    assertThat(missing.isError()).isTrue();
    assertThat(missing.string("error.type")).isEqualTo("java.io.FileNotFoundException");
    assertThat(missing.events()).hasSize(1);
    assertThat(ReceivedSpan.toMap(missing.events().get(0).getAttributesList()))
        .containsEntry("exception.type", "java.io.FileNotFoundException")
        .containsEntry("exception.message", dir.resolve("missing.txt") + " (No such file or directory)");
    assertThat(result.stdout())
        .contains("missing: java.io.FileNotFoundException: " + dir.resolve("missing.txt")
            + " (No such file or directory)");
  }
}
