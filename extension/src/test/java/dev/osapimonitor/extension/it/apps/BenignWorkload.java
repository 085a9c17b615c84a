package dev.osapimonitor.extension.it.apps;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Ordinary service activity: requests that read and write files, connect to a local peer, start a non-shell
 * program; work outside requests too. Nothing here should trigger the default policy.
 */
public final class BenignWorkload {

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    Tracer tracer = GlobalOpenTelemetry.getTracer("benign");
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      for (int i = 0; i < 20; i++) {
        Span request = tracer.spanBuilder("GET /tags").startSpan();
        try (Scope ignored = request.makeCurrent()) {
          Path report = dir.resolve("report-" + i + ".csv");
          try (FileOutputStream out = new FileOutputStream(report.toFile())) {
            out.write(("tag,value\nT" + i + ",42\n").getBytes());
          }
          try (FileInputStream in = new FileInputStream(report.toFile())) {
            in.readAllBytes();
          }
          Files.readAllBytes(report);
          try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
              Socket accepted = server.accept()) {
            s.getOutputStream().write(1);
          }
        } finally {
          request.end();
        }
      }
    }
    new ProcessBuilder("/bin/true").start().waitFor();
    Files.readAllBytes(Paths.get("/etc/hostname"));
    System.out.println("done");
  }
}
