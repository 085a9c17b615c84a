package dev.osapimonitor.extension.it.apps;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Calls that fail, printing exactly what the application sees (exception class and message, or return value). Run
 * with and without the agent, the output must be identical.
 */
public final class FailureWorkload {

  interface Call {
    Object run() throws Exception;
  }

  static void show(String label, Call call) {
    try {
      Object result = call.run();
      System.out.println(label + " -> " + result);
    } catch (Throwable t) {
      System.out.println(label + " -> " + t.getClass().getName() + ": " + t.getMessage()
          + (t.getCause() == null ? "" : " (cause " + t.getCause().getClass().getName() + ": "
              + t.getCause().getMessage() + ")"));
    }
  }

  public static void main(String[] args) throws Exception {
    show("FileInputStream", () -> new FileInputStream("/nonexistent/osapi/in.txt"));
    show("FileOutputStream", () -> new FileOutputStream("/nonexistent/osapi/out.txt"));
    show("RandomAccessFile", () -> new RandomAccessFile("/nonexistent/osapi/raf.bin", "r"));
    show("Files.newInputStream", () -> Files.newInputStream(Paths.get("/nonexistent/osapi/nio.txt")));
    show("Files.readAllBytes", () -> Files.readAllBytes(Paths.get("/nonexistent/osapi/all.txt")).length);
    show("Files.delete", () -> {
      Files.delete(Paths.get("/nonexistent/osapi/gone.txt"));
      return "deleted";
    });
    show("File.delete", () -> new File("/nonexistent/osapi/gone.txt").delete());
    show("File.mkdir", () -> new File("/nonexistent/osapi/dir").mkdir());
    show("ProcessBuilder", () -> new ProcessBuilder("/nonexistent/osapi/binary", "arg").start());
    show("Runtime.exec", () -> Runtime.getRuntime().exec("/nonexistent/osapi/binary arg"));
    int closed;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }
    show("Socket", () -> {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), closed)) {
        return "connected";
      }
    });
    show("Files.readString", () -> Files.readString(Paths.get("/etc/hostname")).isEmpty());
  }
}
