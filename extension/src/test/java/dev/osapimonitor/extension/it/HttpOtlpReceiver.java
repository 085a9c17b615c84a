package dev.osapimonitor.extension.it;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/** OTLP/HTTP (protobuf) receiver on the JDK's HTTP server, bound to loopback. */
public final class HttpOtlpReceiver extends OtlpReceiver {

  private final HttpServer server;

  public HttpOtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/traces",
        exchange -> {
          try {
            OtlpReceiver.Refusal refusal = nextRefusal();
            if (refusal != null) {
              exchange.getRequestBody().readAllBytes();
              if (refusal.retryAfterSeconds() >= 0) {
                exchange.getResponseHeaders().add("Retry-After", String.valueOf(refusal.retryAfterSeconds()));
              }
              exchange.sendResponseHeaders(refusal.httpStatus(), -1);
              return;
            }
            InputStream in = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
              in = new GZIPInputStream(in);
            }
            accept(in.readAllBytes());
            byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, response.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(response);
            }
          } catch (Exception e) {
            exchange.sendResponseHeaders(400, -1);
          } finally {
            exchange.close();
          }
        });
    // Metrics and logs are accepted and dropped.
    server.createContext(
        "/v1/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  @Override
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public String protocol() {
    return "http/protobuf";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
