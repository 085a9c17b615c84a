package dev.osapimonitor.exporter.spool;

import dev.osapimonitor.bootstrap.OsApiGate;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Puts a disk spool in front of the SDK's OTLP exporter so that nothing is lost while the backend is away. Every
 * batch is written to the spool first (synchronously: it survives a crash or kill -9 from then on) and a background
 * worker delivers the spool in order, removing a batch once the backend took it; when the backend cannot take it
 * now (unreachable, UNAVAILABLE, 429/503, timeout) the worker retries with exponential backoff — also after a
 * restart. Without a usable spool directory, batches go straight to the backend and only the failed ones wait, in
 * memory. A batch the backend
 * rejects as invalid (HTTP 400/413, gRPC INVALID_ARGUMENT) is counted and dropped, never retried forever. If the
 * spool itself cannot be written (disk full, read-only), batches wait in a bounded memory backlog instead, and
 * what no longer fits is dropped oldest-first and counted ({@link SpoolStats}).
 */
public final class SpoolingSpanExporter implements SpanExporter {

  /** Default bound of the on-disk spool: {@value} bytes. */
  public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;
  /** Default bound of the in-memory backlog used when the disk cannot be written: {@value} bytes. */
  public static final long DEFAULT_MEMORY_BYTES = 32L * 1024 * 1024;

  private static final Logger logger = Logger.getLogger(SpoolingSpanExporter.class.getName());

  private final SpanExporter delegate;
  private final SpanSpool spool; // null when the directory could not be used
  private final long memoryMaxBytes;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;
  private final long exportTimeoutMillis;
  private final ArrayDeque<byte[]> memory = new ArrayDeque<>();
  private long memoryBytes;
  /**
   * The memory batch the worker is sending, guarded by {@code memory}: never the one evicted to make room, or it
   * would be counted as dropped and still be delivered (and the next one, really dropped, not counted).
   */
  private byte[] inFlight;
  private final Object signal = new Object();
  private final Thread worker;
  private volatile boolean running = true;
  private volatile boolean diskFailing;
  private long backoffNanos;

  private SpoolingSpanExporter(Builder b) {
    this.delegate = b.delegate;
    this.memoryMaxBytes = b.memoryMaxBytes;
    this.initialBackoffNanos = b.initialBackoff.toNanos();
    this.maxBackoffNanos = b.maxBackoff.toNanos();
    this.exportTimeoutMillis = b.exportTimeout.toMillis();
    this.backoffNanos = initialBackoffNanos;
    SpanSpool opened = null;
    if (b.directory != null) {
      try {
        opened = new SpanSpool(b.directory, b.maxBytes);
      } catch (IOException | RuntimeException e) {
        SpoolStats.problem(
            "spool.unavailable",
            "cannot use spool directory " + b.directory + " (" + e.getMessage()
                + "); undelivered spans wait in memory only (" + memoryMaxBytes + " bytes)");
      }
    }
    this.spool = opened;
    this.worker = new Thread(this::deliverLoop, "osapi-monitor-spool");
    worker.setDaemon(true);
    worker.start();
    LIVE.add(this);
  }

  /** The spooling exporters of this JVM, for {@link #awaitAllDelivered} (one, in practice). */
  private static final java.util.Set<SpoolingSpanExporter> LIVE =
      java.util.Collections.newSetFromMap(new java.util.concurrent.ConcurrentHashMap<>());

  /**
   * Waits until every spooling exporter of this JVM has delivered its backlog, at most {@code timeoutMillis}: for
   * the moment before {@code Runtime.halt}, when no shutdown hook will deliver what was just spooled.
   */
  public static boolean awaitAllDelivered(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    boolean all = true;
    for (SpoolingSpanExporter e : LIVE) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      all &= e.awaitDelivered(Math.max(0, left));
    }
    return all;
  }

  public static Builder builder(SpanExporter delegate) {
    return new Builder(delegate);
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    // This may run on an application thread (a simple span processor): our own I/O is never recorded.
    int suppression = OsApiGate.beginSuppression();
    try {
      if (spool != null && !diskFailing) {
        // Write-ahead: a batch is on disk before anything is sent, so a crash or kill -9 at any moment loses
        // nothing; the worker delivers it and removes it once the backend has taken it.
        return store(spans) ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
      }
      if (hasBacklog()) {
        // Keep the order: nothing overtakes what is already waiting.
        return store(spans) ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
      }
      CompletableResultCode sent;
      try {
        sent = delegate.export(spans);
      } catch (RuntimeException e) {
        sent = CompletableResultCode.ofExceptionalFailure(e);
      }
      CompletableResultCode ours = new CompletableResultCode();
      CompletableResultCode result = sent;
      List<SpanData> batch = new ArrayList<>(spans);
      result.whenComplete(
          () -> {
            if (result.isSuccess()) {
              ours.succeed();
            } else if (isPermanent(result.getFailureThrowable())) {
              SpoolStats.rejectedSpans.addAndGet(batch.size());
              SpoolStats.problem(
                  "spool.rejected",
                  "the backend rejected " + batch.size() + " span(s) as invalid: "
                      + describe(result.getFailureThrowable()));
              ours.fail();
            } else if (store(batch)) {
              ours.succeed();
            } else {
              ours.fail();
            }
          });
      return ours;
    } finally {
      OsApiGate.endSuppression(suppression);
    }
  }

  private boolean hasBacklog() {
    if (spool != null && !spool.isEmpty()) {
      return true;
    }
    synchronized (memory) {
      return !memory.isEmpty();
    }
  }

  /** Keeps a batch for later: on disk when possible, else in memory. False when it had to be dropped. */
  private boolean store(Collection<SpanData> spans) {
    if (spans.isEmpty()) {
      return true;
    }
    byte[] frame;
    try {
      frame = SpanCodec.encode(spans);
    } catch (IOException | RuntimeException e) {
      SpoolStats.droppedSpans.addAndGet(spans.size());
      SpoolStats.problem("spool.dropped", "cannot encode " + spans.size() + " span(s): " + e);
      return false;
    }
    SpoolStats.spooledSpans.addAndGet(spans.size());
    if (spool != null) {
      try {
        spool.add(frame);
        if (diskFailing) {
          diskFailing = false;
          SpoolStats.problem("spool.recovered", "the spool directory accepts writes again");
        }
        wake();
        return true;
      } catch (IOException | RuntimeException e) {
        if (!diskFailing) {
          diskFailing = true;
          SpoolStats.problem(
              "spool.unavailable", "cannot write the spool (" + e.getMessage() + "); keeping spans in memory");
        }
      }
    }
    synchronized (memory) {
      while (memoryBytes + frame.length > memoryMaxBytes) {
        byte[] oldest = null;
        for (byte[] waiting : memory) {
          if (waiting != inFlight) {
            oldest = waiting;
            break;
          }
        }
        if (oldest == null) {
          break; // only the batch being sent is left: the bound is exceeded by at most that batch
        }
        memory.removeFirstOccurrence(oldest);
        memoryBytes -= oldest.length;
        int evicted = Math.max(0, SpanCodec.spanCount(oldest));
        SpoolStats.droppedSpans.addAndGet(evicted);
        SpoolStats.pendingSpans.addAndGet(-evicted);
      }
      if (frame.length > memoryMaxBytes) {
        SpoolStats.droppedSpans.addAndGet(spans.size());
        return false;
      }
      memory.addLast(frame);
      memoryBytes += frame.length;
      SpoolStats.pendingSpans.addAndGet(spans.size());
    }
    wake();
    return true;
  }

  private void wake() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  /** The worker: delivers what waits, oldest first, backing off while the backend is away. */
  private void deliverLoop() {
    OsApiGate.markCurrentThreadInternal();
    while (running) {
      try {
        if (!deliverOne()) {
          synchronized (signal) {
            if (running && !hasBacklog()) {
              signal.wait(1000);
            }
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        logger.log(Level.WARNING, "osapi-monitor: spool delivery failed", t);
        sleep(backoffNanos);
      }
    }
  }

  /** Spans per request when a backlog is delivered: several spooled batches go out together. */
  static final int MAX_DELIVERY_SPANS = 2048;
  /** After a coalesced request was rejected as invalid, this many next attempts go one batch at a time. */
  private int singleBatches;

  /**
   * Tries the oldest waiting batches once: from disk, as many spooled batches as fit in one request of
   * {@link #MAX_DELIVERY_SPANS} spans, so that a backlog drains quickly once the backend is back. True when
   * something was delivered or dropped.
   */
  private boolean deliverOne() throws IOException, InterruptedException {
    boolean fromDisk;
    List<byte[]> frames;
    if (spool != null && !spool.isEmpty()) {
      frames = spool.peekBatch(singleBatches > 0 ? 1 : MAX_DELIVERY_SPANS, singleBatches > 0 ? 1 : 256);
      fromDisk = true;
    } else {
      frames = new ArrayList<>(1);
      synchronized (memory) {
        if (!memory.isEmpty()) {
          inFlight = memory.peekFirst();
          frames.add(inFlight);
        }
      }
      fromDisk = false;
    }
    if (frames.isEmpty()) {
      return false;
    }
    try {
      return deliver(fromDisk, frames);
    } finally {
      if (!fromDisk) {
        synchronized (memory) {
          inFlight = null;
        }
      }
    }
  }

  private boolean deliver(boolean fromDisk, List<byte[]> frames) throws IOException, InterruptedException {
    List<SpanData> spans = new ArrayList<>();
    int usable = 0;
    for (byte[] frame : frames) {
      try {
        spans.addAll(SpanCodec.decode(frame));
        usable++;
      } catch (IOException | RuntimeException e) {
        if (usable == 0) {
          // An intact frame that does not parse: skip it, never block the queue on it.
          SpoolStats.corruptRecords.incrementAndGet();
          SpoolStats.problem("spool.corrupt", "skipped an unreadable spool record: " + e.getMessage());
          removeHead(fromDisk, frame);
          return true;
        }
        break; // send what precedes it; it is dealt with when it reaches the head
      }
    }
    CompletableResultCode result;
    try {
      result = delegate.export(spans).join(exportTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      result = CompletableResultCode.ofExceptionalFailure(e);
    }
    if (result.isSuccess()) {
      removeFrames(fromDisk, frames, usable);
      SpoolStats.replayedSpans.addAndGet(spans.size());
      backoffNanos = initialBackoffNanos;
      if (singleBatches > 0) {
        singleBatches--;
      }
      return true;
    }
    if (result.isDone() && isPermanent(result.getFailureThrowable())) {
      if (usable > 1) {
        // Find the batch the backend objects to without dropping the good ones sent with it.
        singleBatches = usable;
        return true;
      }
      removeFrames(fromDisk, frames, usable);
      SpoolStats.rejectedSpans.addAndGet(spans.size());
      SpoolStats.problem("spool.rejected", "the backend rejected " + spans.size() + " spooled span(s) as invalid");
      if (singleBatches > 0) {
        singleBatches--;
      }
      return true;
    }
    failedAttempts++;
    if (!fromDisk) {
      synchronized (memory) {
        inFlight = null; // not sent any more: while backing off, the oldest batch is the first to make room
      }
    }
    sleep(backoffNanos);
    backoffNanos = Math.min(maxBackoffNanos, backoffNanos * 2);
    return false;
  }

  private void removeFrames(boolean fromDisk, List<byte[]> frames, int count) throws IOException {
    if (fromDisk) {
      spool.remove(count);
    } else {
      for (int i = 0; i < count; i++) {
        removeHead(false, frames.get(i));
      }
    }
  }

  private void removeHead(boolean fromDisk, byte[] frame) throws IOException {
    if (fromDisk) {
      spool.remove();
    } else {
      synchronized (memory) {
        if (memory.peekFirst() == frame) {
          memory.removeFirst();
          memoryBytes -= frame.length;
          SpoolStats.pendingSpans.addAndGet(-Math.max(0, SpanCodec.spanCount(frame)));
        }
      }
    }
  }

  private void sleep(long nanos) {
    synchronized (signal) {
      try {
        signal.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** HTTP 400/413 and gRPC INVALID_ARGUMENT: retrying the same bytes cannot succeed. */
  static boolean isPermanent(Throwable failure) {
    if (failure instanceof FailedExportException.HttpExportException) {
      FailedExportException.HttpExportException http = (FailedExportException.HttpExportException) failure;
      if (http.failedWithResponse() && http.getResponse() != null) {
        int code = http.getResponse().getStatusCode();
        return code == 400 || code == 413;
      }
    }
    if (failure instanceof FailedExportException.GrpcExportException) {
      FailedExportException.GrpcExportException grpc = (FailedExportException.GrpcExportException) failure;
      if (grpc.failedWithResponse() && grpc.getResponse() != null) {
        return grpc.getResponse().getStatusCode() == GrpcStatusCode.INVALID_ARGUMENT;
      }
    }
    return false;
  }

  private static String describe(Throwable failure) {
    if (failure instanceof FailedExportException.HttpExportException
        && ((FailedExportException.HttpExportException) failure).getResponse() != null) {
      return "HTTP " + ((FailedExportException.HttpExportException) failure).getResponse().getStatusCode();
    }
    if (failure instanceof FailedExportException.GrpcExportException
        && ((FailedExportException.GrpcExportException) failure).getResponse() != null) {
      return "gRPC " + ((FailedExportException.GrpcExportException) failure).getResponse().getStatusCode();
    }
    return String.valueOf(failure);
  }

  /** Delivery attempts the backend refused or did not answer (written by the worker only). */
  private volatile long failedAttempts;

  /**
   * Waits (bounded) until nothing is left to deliver, for the moment the JVM exits. The worker is woken at once
   * (out of any backoff); the wait ends early when an attempt fails after it began: a backend that is down must
   * not hold the application's exit for the whole allowance. What is left stays on disk for the next start.
   */
  public boolean awaitDelivered(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    long failuresBefore = failedAttempts;
    while (hasBacklog() && System.nanoTime() < deadline && failedAttempts == failuresBefore) {
      wake();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !hasBacklog();
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  /** How long shutdown keeps delivering the backlog before leaving the rest on disk for the next start. */
  static final long SHUTDOWN_DELIVERY_MILLIS = 8000;

  @Override
  public CompletableResultCode shutdown() {
    // Deliver what is waiting while the backend answers; what is left stays on disk for the next start.
    awaitDelivered(SHUTDOWN_DELIVERY_MILLIS);
    LIVE.remove(this);
    running = false;
    worker.interrupt();
    try {
      worker.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (spool != null) {
      try {
        spool.close();
      } catch (IOException e) {
        logger.log(Level.WARNING, "osapi-monitor: closing the spool failed", e);
      }
    }
    synchronized (memory) {
      if (!memory.isEmpty()) {
        long lost = 0;
        for (byte[] frame : memory) {
          lost += Math.max(0, SpanCodec.spanCount(frame));
        }
        SpoolStats.droppedSpans.addAndGet(lost);
        SpoolStats.problem("spool.dropped", lost + " span(s) in the memory backlog were lost at shutdown");
      }
    }
    return delegate.shutdown();
  }

  /**
   * Stops at once, delivering nothing and closing the spool: what a crash or kill -9 leaves behind. Visible for
   * testing.
   */
  void abandon() throws IOException, InterruptedException {
    LIVE.remove(this);
    running = false;
    worker.interrupt();
    worker.join(5000);
    if (spool != null) {
      spool.close();
    }
  }

  /** The spool in use, or {@code null} (memory only). Visible for testing. */
  public SpanSpool spool() {
    return spool;
  }

  @Override
  public String toString() {
    return "SpoolingSpanExporter{delegate=" + delegate + ", spool=" + spool + ", memoryMaxBytes=" + memoryMaxBytes
        + "}";
  }

  /** Builds a {@link SpoolingSpanExporter}. */
  public static final class Builder {
    private final SpanExporter delegate;
    private Path directory;
    private long maxBytes = DEFAULT_MAX_BYTES;
    private long memoryMaxBytes = DEFAULT_MEMORY_BYTES;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration exportTimeout = Duration.ofSeconds(30);

    private Builder(SpanExporter delegate) {
      if (delegate == null) {
        throw new NullPointerException("delegate");
      }
      this.delegate = delegate;
    }

    /** The spool directory; without one, undelivered spans wait in memory only. */
    public Builder setDirectory(Path directory) {
      this.directory = directory;
      return this;
    }

    public Builder setMaxBytes(long maxBytes) {
      if (maxBytes < 1024) {
        throw new IllegalArgumentException("maxBytes must be at least 1024");
      }
      this.maxBytes = maxBytes;
      return this;
    }

    public Builder setMemoryMaxBytes(long memoryMaxBytes) {
      if (memoryMaxBytes < 0) {
        throw new IllegalArgumentException("memoryMaxBytes must be non-negative");
      }
      this.memoryMaxBytes = memoryMaxBytes;
      return this;
    }

    public Builder setBackoff(Duration initial, Duration max) {
      if (initial.isNegative() || initial.isZero()) {
        throw new IllegalArgumentException("initial backoff must be positive");
      }
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max backoff must not be below the initial backoff");
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    public Builder setExportTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("export timeout must be positive");
      }
      this.exportTimeout = timeout;
      return this;
    }

    public SpoolingSpanExporter build() {
      return new SpoolingSpanExporter(this);
    }
  }
}
