package dev.osapimonitor.exporter.file;

import dev.osapimonitor.bootstrap.OsApiGate;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local default when no OTLP endpoint is configured: the captured traces (osapi-monitor's spans and the
 * application spans of the traces they belong to) as OTLP-JSON lines — each batch one {@code ExportTraceServiceRequest},
 * as the OpenTelemetry file exporter writes it, produced by the SDK's own marshaler — appended to a file that rotates
 * by size: {@code captures.jsonl}, then {@code captures.1.jsonl} ...
 * up to {@code maxFiles} files. The directory is created readable by its owner only: captures are evidence.
 */
public final class OtlpJsonFileSpanExporter implements SpanExporter {

  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_MAX_FILES = 5;

  private static final Logger logger = Logger.getLogger(OtlpJsonFileSpanExporter.class.getName());

  private final Path file;
  private final long maxBytes;
  private final int maxFiles;
  /** Traces known to hold a captured call (most recent {@value #MAX_TRACES}), so their other spans are kept too. */
  static final int MAX_TRACES = 10_000;

  private final java.util.Map<String, Boolean> capturedTraces =
      new java.util.LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
          return size() > MAX_TRACES;
        }
      };
  private OutputStream out;
  private long size;
  private boolean closed;

  public OtlpJsonFileSpanExporter(Path file, long maxBytes, int maxFiles) {
    if (maxBytes < 1024) {
      throw new IllegalArgumentException("maxBytes must be at least 1024");
    }
    if (maxFiles < 1) {
      throw new IllegalArgumentException("maxFiles must be at least 1");
    }
    this.file = file.toAbsolutePath();
    this.maxBytes = maxBytes;
    this.maxFiles = maxFiles;
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> spans) {
    if (closed) {
      return CompletableResultCode.ofFailure();
    }
    int suppression = OsApiGate.beginSuppression();
    try {
      Collection<SpanData> kept = onlyCaptured(spans);
      if (kept.isEmpty()) {
        return CompletableResultCode.ofSuccess();
      }
      ByteArrayOutputStream line = new ByteArrayOutputStream(512 * Math.max(1, kept.size()));
      TraceRequestMarshaler.create(kept).writeJsonTo(line);
      line.write('\n');
      if (out == null) {
        open();
      }
      if (size > 0 && size + line.size() > maxBytes) {
        rotate();
      }
      line.writeTo(out);
      out.flush();
      size += line.size();
      return CompletableResultCode.ofSuccess();
    } catch (IOException | RuntimeException e) {
      logger.log(Level.WARNING, "osapi-monitor: cannot write " + file, e);
      closeQuietly();
      return CompletableResultCode.ofExceptionalFailure(e);
    } finally {
      OsApiGate.endSuppression(suppression);
    }
  }

  /**
   * The spans worth keeping locally: osapi-monitor's own (API calls, capture roots, audit events) and every span of a
   * trace that holds one — the request span an API call sits under ends after it, so it arrives in the same or a
   * later batch. Plain application traffic is not written: the file holds evidence, not all telemetry.
   */
  private Collection<SpanData> onlyCaptured(Collection<SpanData> spans) {
    java.util.List<SpanData> kept = new java.util.ArrayList<>(spans.size());
    for (SpanData span : spans) {
      if (isOsapi(span)) {
        capturedTraces.put(span.getTraceId(), Boolean.TRUE);
      }
    }
    for (SpanData span : spans) {
      if (isOsapi(span) || capturedTraces.containsKey(span.getTraceId())) {
        kept.add(span);
      }
    }
    return kept;
  }

  private static boolean isOsapi(SpanData span) {
    return span.getName().startsWith("osapi.")
        || span.getAttributes().get(dev.osapimonitor.exporter.correlation.CaptureAttributes.FAMILY) != null;
  }

  private void open() throws IOException {
    Path dir = file.getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    if (!Files.exists(file)) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    out = Files.newOutputStream(file, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    size = Files.size(file);
  }

  private void rotate() throws IOException {
    closeQuietly();
    for (int i = maxFiles - 1; i >= 1; i--) {
      Path from = rotated(i - 1);
      if (Files.exists(from)) {
        Files.move(from, rotated(i), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (maxFiles == 1) {
      Files.deleteIfExists(file);
    }
    open();
  }

  /** {@code captures.jsonl} for 0, {@code captures.1.jsonl} for 1, ... */
  Path rotated(int index) {
    if (index == 0) {
      return file;
    }
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String rotatedName = dot > 0 ? name.substring(0, dot) + "." + index + name.substring(dot) : name + "." + index;
    return file.resolveSibling(rotatedName);
  }

  private void closeQuietly() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException ignored) {
        // nothing more to do
      }
      out = null;
    }
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public synchronized CompletableResultCode shutdown() {
    closed = true;
    closeQuietly();
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "OtlpJsonFileSpanExporter{file=" + file + ", maxBytes=" + maxBytes + ", maxFiles=" + maxFiles + "}";
  }
}
