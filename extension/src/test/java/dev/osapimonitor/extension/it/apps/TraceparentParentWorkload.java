package dev.osapimonitor.extension.it.apps;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * In a request span, starts a child JVM with this JVM's own agent options (same agent, same policy, same exporter)
 * running {@link TraceparentChildWorkload}, and relays its output.
 */
public final class TraceparentParentWorkload {

  public static void main(String[] args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    for (String arg : ProcessHandle.current().info().arguments().orElseThrow()) {
      if (arg.startsWith("-javaagent") || arg.startsWith("-Dotel.")) {
        command.add(arg);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TraceparentChildWorkload.class.getName());
    Span request = GlobalOpenTelemetry.getTracer("parent").spanBuilder("POST /spawn").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      System.out.println("parent " + request.getSpanContext().getTraceId());
      Process child = new ProcessBuilder(command).inheritIO().start();
      System.out.println("child exit " + child.waitFor());
    } finally {
      request.end();
    }
  }
}
