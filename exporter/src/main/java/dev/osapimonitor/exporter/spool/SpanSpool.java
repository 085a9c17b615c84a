package dev.osapimonitor.exporter.spool;

import com.squareup.tape2.QueueFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded, durable FIFO of span batches on disk: a tape2 {@link QueueFile} (synchronous writes, survives a crash or
 * kill -9) holding one {@link SpanCodec} frame per element.
 *
 * <p>Bound: when adding would exceed {@code maxBytes} of payload, the oldest batches are dropped and counted (the
 * file itself may grow to about twice the bound, as the queue's ring doubles). Damage: a queue file that cannot be
 * opened or read (truncated by a power loss, overwritten) is moved aside as {@code *.corrupt}, and every intact frame
 * found in its bytes is copied into a fresh queue in order — what is damaged is skipped and reported, what comes after
 * it is kept. One process at a time: the directory is locked.
 */
public final class SpanSpool implements Closeable {

  static final String QUEUE_FILE = "spool.tape";
  static final String LOCK_FILE = "spool.lock";

  private final Path dir;
  private final long maxBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private QueueFile queue;
  private boolean closed;
  private long usedBytes;
  private long spans;

  /**
   * Opens (or creates) the spool in {@code dir}.
   *
   * @throws IOException when the directory cannot be used (not writable, locked by another process)
   */
  public SpanSpool(Path dir, long maxBytes) throws IOException {
    if (maxBytes < 1024) {
      throw new IllegalArgumentException("maxBytes must be at least 1024");
    }
    this.dir = dir;
    this.maxBytes = maxBytes;
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    lockChannel =
        FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock acquired;
    try {
      acquired = lockChannel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      acquired = null; // held by this very process
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw new IOException("cannot lock spool directory " + dir + ": " + e.getMessage(), e);
    }
    if (acquired == null) {
      lockChannel.close();
      throw new IOException("spool directory " + dir + " is in use by another process");
    }
    lock = acquired;
    openQueue();
  }

  private void openQueue() throws IOException {
    Path file = dir.resolve(QUEUE_FILE);
    try {
      queue = newQueue(file);
      account();
    } catch (IOException | RuntimeException e) {
      if (queue != null) {
        try {
          queue.close();
        } catch (IOException ignored) {
          // already broken
        }
      }
      salvage(file, e);
    }
  }

  /**
   * The queue file, readable by its owner only. Delivered batches are not overwritten with zeros: tape2 erases in
   * 4 KiB synchronous writes, which held the spool for up to a second per delivered request and stalled the span
   * processor behind it (it then drops spans). The file lives in an owner-only directory and the data is already
   * redacted; what a delivered batch leaves behind is overwritten as the ring wraps.
   */
  private static QueueFile newQueue(Path file) throws IOException {
    QueueFile q = new QueueFile.Builder(file.toFile()).zero(false).build();
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's own protection applies
    }
    return q;
  }

  /** Walks the queue once to learn its size, validating every frame on the way. */
  private void account() throws IOException {
    long bytes = 0;
    long count = 0;
    int invalid = 0;
    for (byte[] frame : queue) {
      int n = SpanCodec.spanCount(frame);
      if (n < 0) {
        invalid++;
      } else {
        count += n;
      }
      bytes += frame.length;
    }
    if (invalid > 0) {
      throw new IOException(invalid + " damaged record(s)");
    }
    usedBytes = bytes;
    spans = count;
    SpoolStats.pendingSpans.set(spans);
  }

  /** Moves a damaged queue file aside and copies the intact frames it still holds into a new queue. */
  private void salvage(Path file, Exception cause) throws IOException {
    Path aside = dir.resolve(QUEUE_FILE + "." + System.currentTimeMillis() + ".corrupt");
    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
    byte[] raw = Files.readAllBytes(aside);
    List<byte[]> frames = scan(raw);
    queue = newQueue(file);
    usedBytes = 0;
    spans = 0;
    for (byte[] frame : frames) {
      queue.add(frame);
      usedBytes += frame.length;
      spans += SpanCodec.spanCount(frame);
    }
    SpoolStats.pendingSpans.set(spans);
    SpoolStats.corruptRecords.incrementAndGet();
    SpoolStats.salvagedRecords.addAndGet(frames.size());
    SpoolStats.problem(
        "spool.corrupt",
        "spool file " + file + " was damaged (" + cause.getMessage() + "); moved to " + aside.getFileName()
            + ", recovered " + frames.size() + " intact record(s) with " + spans + " span(s)");
  }

  /** Finds every intact frame in raw bytes, in file order (the queue's own ring order is lost with its header). */
  static List<byte[]> scan(byte[] raw) {
    List<byte[]> frames = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(raw);
    int i = 0;
    while (i + SpanCodec.HEADER <= raw.length) {
      if (b.getInt(i) == SpanCodec.MAGIC) {
        int size = b.getInt(i + 4);
        int length = SpanCodec.HEADER + size;
        if (size >= 0 && size <= SpanCodec.MAX_PAYLOAD && i + length <= raw.length
            && SpanCodec.valid(raw, i, length)) {
          byte[] frame = new byte[length];
          System.arraycopy(raw, i, frame, 0, length);
          frames.add(frame);
          i += length;
          continue;
        }
      }
      i++;
    }
    return frames;
  }

  /** Appends a frame, dropping the oldest ones first if the bound would be exceeded. */
  public synchronized void add(byte[] frame) throws IOException {
    ensureOpen();
    int n = Math.max(0, SpanCodec.spanCount(frame));
    while (!queue.isEmpty() && usedBytes + frame.length > maxBytes) {
      byte[] oldest = queue.peek();
      queue.remove();
      usedBytes -= oldest.length;
      int dropped = Math.max(0, SpanCodec.spanCount(oldest));
      spans -= dropped;
      SpoolStats.droppedSpans.addAndGet(dropped);
    }
    if (frame.length > maxBytes) {
      SpoolStats.droppedSpans.addAndGet(n);
      SpoolStats.problem("spool.dropped", "a batch of " + frame.length + " bytes is larger than the spool bound");
      return;
    }
    queue.add(frame);
    usedBytes += frame.length;
    spans += n;
    SpoolStats.pendingSpans.set(spans);
  }

  /** The oldest intact frame, or {@code null} when empty. Damaged frames at the head are skipped and counted. */
  public synchronized byte[] peek() throws IOException {
    if (closed) {
      return null;
    }
    while (!queue.isEmpty()) {
      byte[] frame;
      try {
        frame = queue.peek();
      } catch (IOException | RuntimeException e) {
        queue.close();
        salvage(dir.resolve(QUEUE_FILE), e instanceof Exception ? (Exception) e : new IOException(e));
        continue;
      }
      if (SpanCodec.spanCount(frame) >= 0) {
        return frame;
      }
      queue.remove();
      usedBytes -= frame.length;
      SpoolStats.corruptRecords.incrementAndGet();
      SpoolStats.problem("spool.corrupt", "skipped a damaged spool record of " + frame.length + " bytes");
    }
    return null;
  }

  /**
   * The oldest intact frames, up to {@code maxSpans} spans in all (at least one frame when any is waiting), for
   * delivering a backlog in fewer, larger requests. Stops before a damaged frame (it is skipped once it reaches
   * the head).
   */
  public synchronized java.util.List<byte[]> peekBatch(int maxSpans, int maxFrames) throws IOException {
    java.util.List<byte[]> frames = new java.util.ArrayList<>();
    byte[] head = peek();
    if (head == null) {
      return frames;
    }
    int total = 0;
    try {
      for (byte[] frame : queue) {
        int n = SpanCodec.spanCount(frame);
        if (n < 0 || (!frames.isEmpty() && (total + n > maxSpans || frames.size() >= maxFrames))) {
          break;
        }
        frames.add(frame);
        total += n;
      }
    } catch (RuntimeException e) {
      // A read error further down: deliver what was read; the damage is dealt with when it reaches the head.
    }
    if (frames.isEmpty()) {
      frames.add(head);
    }
    return frames;
  }

  /** Removes the oldest {@code count} frames (after they were delivered). */
  public synchronized void remove(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      remove();
    }
  }

  /** Removes the oldest frame (after it was delivered). */
  public synchronized void remove() throws IOException {
    ensureOpen();
    if (queue.isEmpty()) {
      return;
    }
    byte[] frame = queue.peek();
    queue.remove();
    usedBytes -= frame.length;
    spans -= Math.max(0, SpanCodec.spanCount(frame));
    SpoolStats.pendingSpans.set(spans);
  }

  public synchronized boolean isEmpty() {
    return closed || queue.isEmpty();
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("spool " + dir + " is closed");
    }
  }

  public synchronized long usedBytes() {
    return usedBytes;
  }

  /** Spans held. */
  public synchronized long spans() {
    return spans;
  }

  public synchronized int batches() {
    return queue.size();
  }

  public Path directory() {
    return dir;
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      queue.close();
    } finally {
      try {
        lock.release();
      } finally {
        lockChannel.close();
      }
    }
  }

  @Override
  public String toString() {
    return "SpanSpool{dir=" + dir + ", maxBytes=" + maxBytes + ", usedBytes=" + usedBytes + ", spans=" + spans + "}";
  }
}
