package dev.osapimonitor.benchmarks;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP/gRPC backend on loopback that decodes every request and counts what it got: all spans, API-call spans
 * (those with {@code osapi.family}), and API spans whose {@code file.path} starts with a watched prefix.
 */
final class LoopbackReceiver implements AutoCloseable {

  final AtomicLong spans = new AtomicLong();
  final AtomicLong apiSpans = new AtomicLong();
  final AtomicLong watchedSpans = new AtomicLong();
  final AtomicLong requests = new AtomicLong();
  private volatile String watchedPrefix = "\u0000";
  private final Server server;

  LoopbackReceiver() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .maxInboundMessageSize(64 * 1024 * 1024)
            .addService(
                new TraceServiceGrpc.TraceServiceImplBase() {
                  @Override
                  public void export(
                      ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
                    count(request);
                    response.onNext(ExportTraceServiceResponse.getDefaultInstance());
                    response.onCompleted();
                  }
                })
            .build()
            .start();
  }

  private void count(ExportTraceServiceRequest request) {
    requests.incrementAndGet();
    String prefix = watchedPrefix;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          spans.incrementAndGet();
          boolean api = false;
          boolean watched = false;
          boolean read = false;
          for (KeyValue kv : s.getAttributesList()) {
            if (kv.getKey().equals("osapi.family")) {
              api = true;
            } else if (kv.getKey().equals("file.path") && kv.getValue().getStringValue().startsWith(prefix)) {
              watched = true;
            } else if (kv.getKey().equals("osapi.file.mode") && kv.getValue().getStringValue().equals("read")) {
              read = true;
            }
          }
          if (api) {
            apiSpans.incrementAndGet();
            // The workload's read opens only: the write that creates its file is not one of the counted calls.
            if (watched && read) {
              watchedSpans.incrementAndGet();
            }
          }
        }
      }
    }
  }

  void watch(String pathPrefix) {
    watchedPrefix = pathPrefix;
    watchedSpans.set(0);
  }

  void reset() {
    spans.set(0);
    apiSpans.set(0);
    watchedSpans.set(0);
    requests.set(0);
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
