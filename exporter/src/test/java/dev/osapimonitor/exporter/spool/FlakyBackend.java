package dev.osapimonitor.exporter.spool;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/** An OTLP/HTTP backend on the JDK's HTTP server whose answer (200, 429, 503, 400) a test sets. */
final class FlakyBackend implements AutoCloseable {

  private final HttpServer server;
  private volatile int status = 200;
  private volatile String retryAfter;
  final List<String> spanIds = new CopyOnWriteArrayList<>();
  final AtomicInteger requests = new AtomicInteger();
  /** When set, each request waits for it before it is answered (a batch held in flight). */
  volatile java.util.concurrent.CountDownLatch hold;
  /** Counted down when a held request arrives. */
  final java.util.concurrent.Semaphore arrived = new java.util.concurrent.Semaphore(0);

  FlakyBackend() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/traces",
        exchange -> {
          requests.incrementAndGet();
          InputStream in = exchange.getRequestBody();
          if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
          }
          byte[] body = in.readAllBytes();
          int answer = status; // read before the hold: a request answered 200 was always held when holding
          java.util.concurrent.CountDownLatch held = hold;
          if (answer == 200 && held != null) {
            arrived.release();
            try {
              held.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          int code = answer;
          if (code == 200) {
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
            for (ResourceSpans rs : request.getResourceSpansList()) {
              for (ScopeSpans ss : rs.getScopeSpansList()) {
                ss.getSpansList().forEach(s -> spanIds.add(HexFormat.of().formatHex(s.getSpanId().toByteArray())));
              }
            }
            byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
          } else {
            if (retryAfter != null) {
              exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(code, -1);
          }
          exchange.close();
        });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
  }

  void answer(int code, String retryAfterHeader) {
    this.status = code;
    this.retryAfter = retryAfterHeader;
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
