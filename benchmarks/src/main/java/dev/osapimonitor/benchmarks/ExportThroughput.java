package dev.osapimonitor.benchmarks;

import dev.osapimonitor.exporter.spool.SpoolingSpanExporter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Spans per second through an exporter to the loopback receiver: the SDK's stock OTLP/gRPC exporter alone, and
 * osapi-monitor's stack (the write-ahead disk spool in front of the same exporter); and the spool alone, with the
 * backend down, which is the rate at which spans can be made safe on disk.
 */
final class ExportThroughput {

  static final int BATCH = 512;

  /** Spans shaped like captured file opens (the attributes an API span carries). */
  static List<SpanData> spans(int count) {
    List<SpanData> out = new ArrayList<>(count);
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(new SpanProcessor() {
              @Override
              public void onStart(Context parentContext, ReadWriteSpan span) {}

              @Override
              public boolean isStartRequired() {
                return false;
              }

              @Override
              public void onEnd(ReadableSpan span) {
                out.add(span.toSpanData());
              }

              @Override
              public boolean isEndRequired() {
                return true;
              }
            })
            .build();
    Tracer tracer = provider.get("osapi-monitor-benchmark");
    for (int i = 0; i < count; i++) {
      Span s = tracer.spanBuilder("file.open").setSpanKind(SpanKind.INTERNAL).startSpan();
      s.setAttribute(AttributeKey.stringKey("osapi.family"), "file");
      s.setAttribute(AttributeKey.stringKey("osapi.operation"), "file.open");
      s.setAttribute(AttributeKey.stringKey("file.path"), "/srv/historian/data/tag-" + (i % 997) + ".csv");
      s.setAttribute(AttributeKey.stringKey("osapi.file.mode"), "read");
      s.setAttribute(AttributeKey.stringKey("thread.name"), "http-worker-" + (i % 16));
      s.setAttribute(AttributeKey.longKey("thread.id"), 40L + i % 16);
      s.setAttribute(AttributeKey.stringKey("code.function.name"), "com.acme.historian.TagStore.read");
      s.setAttribute(AttributeKey.stringKey("osapi.capture.kind"), "flag");
      s.setAttribute(AttributeKey.stringKey("osapi.capture.reason"), "inc-4711");
      s.setAttribute(AttributeKey.stringKey("osapi.capture.window_id"), "w-0001");
      s.end();
    }
    provider.close();
    return out;
  }

  static OtlpGrpcSpanExporter stock(String endpoint) {
    return OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).setTimeout(Duration.ofSeconds(30)).build();
  }

  /** Spans/s from the first export until the receiver has them all. */
  static double throughput(SpanExporter exporter, List<SpanData> spans, LoopbackReceiver receiver)
      throws InterruptedException {
    receiver.reset();
    long start = System.nanoTime();
    for (int i = 0; i < spans.size(); i += BATCH) {
      CompletableResultCode r = exporter.export(spans.subList(i, Math.min(spans.size(), i + BATCH)));
      r.join(30, TimeUnit.SECONDS);
      if (!r.isSuccess()) {
        throw new IllegalStateException("export failed: " + r.getFailureThrowable());
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (receiver.spans.get() < spans.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the receiver got " + receiver.spans.get() + " of " + spans.size());
      }
      Thread.sleep(1);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (receiver.spans.get() != spans.size()) {
      throw new IllegalStateException("the receiver got " + receiver.spans.get() + " spans, expected " + spans.size());
    }
    return spans.size() / seconds;
  }

  static SpoolingSpanExporter spooling(SpanExporter delegate, Path dir) {
    return SpoolingSpanExporter.builder(delegate).setDirectory(dir).setMaxBytes(4L * 1024 * 1024 * 1024).build();
  }

  /** Spans/s written to the spool while the backend refuses connections. */
  static double spoolWhileDown(List<SpanData> spans, Path dir) throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    OtlpGrpcSpanExporter down = stock("http://127.0.0.1:" + closedPort);
    SpoolingSpanExporter spool = spooling(down, dir);
    try {
      long start = System.nanoTime();
      for (int i = 0; i < spans.size(); i += BATCH) {
        CompletableResultCode r = spool.export(spans.subList(i, Math.min(spans.size(), i + BATCH)));
        if (!r.isSuccess()) {
          throw new IllegalStateException("spool write failed");
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long spooled = spool.spool().spans();
      if (spooled < spans.size()) {
        throw new IllegalStateException("only " + spooled + " of " + spans.size() + " spans are on disk");
      }
      return spans.size() / seconds;
    } finally {
      spool.shutdown().join(1, TimeUnit.SECONDS);
      deleteTree(dir);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
