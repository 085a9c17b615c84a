package dev.osapimonitor.extension.it.apps;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A request that reads its configuration, then starts a shell (the trigger), then reads /etc/passwd; and calls in
 * another request and outside any request, before and after. Prints the malicious request's trace id.
 */
public final class TriggerWorkload {

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    Path config = dir.resolve("diagnostics.conf");
    Files.writeString(config, "ping.count=1\n");
    Tracer tracer = GlobalOpenTelemetry.getTracer("trigger");
    Span benign = tracer.spanBuilder("GET /status").startSpan();
    try (Scope ignored = benign.makeCurrent()) {
      Files.readAllBytes(config);
    } finally {
      benign.end();
    }
    Span request = tracer.spanBuilder("POST /diagnostics").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      System.out.println("malicious " + request.getSpanContext().getTraceId() + " "
          + request.getSpanContext().getSpanId());
      try (FileInputStream in = new FileInputStream(config.toFile())) {
        in.readAllBytes();
      }
      Thread.sleep(20);
      new ProcessBuilder("/bin/sh", "-c", "echo injected").start().waitFor();
      try (FileInputStream in = new FileInputStream("/etc/passwd")) {
        in.read();
      }
    } finally {
      request.end();
    }
    Files.readAllBytes(Paths.get("/etc/hostname"));
    System.out.println("done");
  }
}
