package dev.osapimonitor.exporter.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osapimonitor.exporter.TestSpans;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpanSpoolTest {

  @TempDir Path dir;

  private static byte[] batch(int spans) throws IOException {
    return SpanCodec.encode(TestSpans.make(spans));
  }

  private static List<Integer> drain(SpanSpool spool) throws IOException {
    List<Integer> counts = new ArrayList<>();
    byte[] frame;
    while ((frame = spool.peek()) != null) {
      counts.add(SpanCodec.spanCount(frame));
      spool.remove();
    }
    return counts;
  }

  @Test
  void batchesSurviveAReopenInOrder() throws Exception {
    try (SpanSpool spool = new SpanSpool(dir, 1 << 20)) {
      spool.add(batch(1));
      spool.add(batch(2));
      spool.add(batch(3));
      assertThat(spool.spans()).isEqualTo(6);
    }
    try (SpanSpool spool = new SpanSpool(dir, 1 << 20)) {
      assertThat(spool.spans()).isEqualTo(6);
      assertThat(drain(spool)).containsExactly(1, 2, 3);
      assertThat(spool.isEmpty()).isTrue();
    }
  }

  @Test
  void aBacklogIsPeekedInBatchesUpToASpanBudget() throws Exception {
    try (SpanSpool spool = new SpanSpool(dir, 1 << 20)) {
      for (int i = 1; i <= 5; i++) {
        spool.add(batch(3));
      }
      assertThat(spool.peekBatch(100, 100)).hasSize(5);
      assertThat(spool.peekBatch(7, 100)).hasSize(2); // 3 + 3; a third would exceed 7 spans
      assertThat(spool.peekBatch(1, 1)).hasSize(1); // always at least one
      spool.remove(2);
      assertThat(spool.spans()).isEqualTo(9);
      assertThat(spool.peekBatch(100, 100)).hasSize(3);
    }
  }

  @Test
  void theBoundDropsTheOldestAndCountsWhatItDropped() throws Exception {
    byte[] one = batch(4);
    long before = SpoolStats.dropped();
    try (SpanSpool spool = new SpanSpool(dir, one.length * 3L + 10)) {
      for (int i = 0; i < 5; i++) {
        spool.add(batch(4));
      }
      assertThat(spool.batches()).isEqualTo(3);
      assertThat(spool.usedBytes()).isLessThanOrEqualTo(one.length * 3L + 10);
    }
    assertThat(SpoolStats.dropped() - before).isEqualTo(8);
  }

  @Test
  void oneProcessAtATime() throws Exception {
    try (SpanSpool first = new SpanSpool(dir, 1 << 20)) {
      assertThatThrownBy(() -> new SpanSpool(dir, 1 << 20))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("is in use by another process");
    }
  }

  @Test
  void aTruncatedSpoolFileKeepsEveryIntactRecord() throws Exception {
    try (SpanSpool spool = new SpanSpool(dir, 1 << 20)) {
      spool.add(batch(1));
      spool.add(batch(2));
      spool.add(batch(3));
    }
    Path file = dir.resolve(SpanSpool.QUEUE_FILE);
    // Power loss in the middle of the last write: the file ends inside the third record.
    long length = Files.size(file);
    byte[] raw = Files.readAllBytes(file);
    int third = lastIndexOfMagic(raw);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(third + 30);
    }
    assertThat(Files.size(file)).isLessThan(length);
    long corruptBefore = SpoolStats.corrupt();
    try (SpanSpool spool = new SpanSpool(dir, 1 << 20)) {
      assertThat(drain(spool)).containsExactly(1, 2);
    }
    assertThat(SpoolStats.corrupt()).isEqualTo(corruptBefore + 1);
    assertThat(Files.list(dir).filter(p -> p.toString().endsWith(".corrupt")).count()).isEqualTo(1);
    assertThat(SpoolStats.takeProblems()).anySatisfy(p -> assertThat(p[0]).isEqualTo("spool.corrupt"));
  }

  @Test
  void aDamagedRecordInTheMiddleIsSkippedAndTheOnesAfterItAreKept() throws Exception {
    try (SpanSpool spool = new SpanSpool(dir, 1 << 20)) {
      spool.add(batch(1));
      spool.add(batch(2));
      spool.add(batch(3));
    }
    Path file = dir.resolve(SpanSpool.QUEUE_FILE);
    byte[] raw = Files.readAllBytes(file);
    int second = nthIndexOfMagic(raw, 2);
    raw[second + SpanCodec.HEADER + 5] ^= 0x7F; // flip bits inside the second record's payload
    Files.write(file, raw);
    try (SpanSpool spool = new SpanSpool(dir, 1 << 20)) {
      assertThat(drain(spool)).containsExactly(1, 3);
    }
  }

  @Test
  void aHeaderOverwrittenWithGarbageIsSalvaged() throws Exception {
    try (SpanSpool spool = new SpanSpool(dir, 1 << 20)) {
      spool.add(batch(2));
      spool.add(batch(5));
    }
    Path file = dir.resolve(SpanSpool.QUEUE_FILE);
    byte[] raw = Files.readAllBytes(file);
    for (int i = 0; i < 32; i++) {
      raw[i] = (byte) 0xFF;
    }
    Files.write(file, raw);
    try (SpanSpool spool = new SpanSpool(dir, 1 << 20)) {
      assertThat(drain(spool)).containsExactly(2, 5);
    }
  }

  private static int lastIndexOfMagic(byte[] raw) {
    int last = -1;
    for (int i = 0; i + 4 <= raw.length; i++) {
      if (isMagic(raw, i)) {
        last = i;
      }
    }
    return last;
  }

  private static int nthIndexOfMagic(byte[] raw, int n) {
    int seen = 0;
    for (int i = 0; i + 4 <= raw.length; i++) {
      if (isMagic(raw, i) && ++seen == n) {
        return i;
      }
    }
    throw new AssertionError("no record " + n);
  }

  private static boolean isMagic(byte[] raw, int i) {
    return raw[i] == 'O' && raw[i + 1] == 'S' && raw[i + 2] == 'P' && raw[i + 3] == 'L';
  }
}
