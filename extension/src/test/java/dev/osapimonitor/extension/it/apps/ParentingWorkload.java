package dev.osapimonitor.extension.it.apps;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.FileInputStream;

/**
 * An application span ("handle-request") around a file read and a process start, made with the application's own
 * API jar, as a web framework's server span would be. Prints the span's ids.
 */
public final class ParentingWorkload {

  public static void main(String[] args) throws Exception {
    Tracer tracer = GlobalOpenTelemetry.getTracer("parenting-workload");
    Span span = tracer.spanBuilder("handle-request").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      System.out.println("request " + span.getSpanContext().getTraceId() + " " + span.getSpanContext().getSpanId());
      try (FileInputStream in = new FileInputStream("/etc/hostname")) {
        in.read();
      }
      new ProcessBuilder("/bin/true").start().waitFor();
    } finally {
      span.end();
    }
    try (FileInputStream in = new FileInputStream("/etc/os-release")) {
      in.read();
    }
    System.out.println("done");
  }
}
