package dev.osapimonitor.benchmarks.apps;

import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A small application for the start-up and peak-memory figures: reads some files, writes one, opens a loopback
 * connection, starts a trivial process, reads the environment, then prints its peak resident set size and exits.
 */
public final class StartupApp {

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("osapi-startup");
    Path data = dir.resolve("data.csv");
    Files.writeString(data, "timestamp,value\n1,2\n");
    for (int i = 0; i < 100; i++) {
      try (FileInputStream in = new FileInputStream(data.toFile())) {
        in.readAllBytes();
      }
    }
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      client.getOutputStream().write(1);
      accepted.getInputStream().read();
    }
    new ProcessBuilder("/bin/true").start().waitFor();
    System.getenv("HOME");
    Files.delete(data);
    Files.delete(dir);
    String hwm = "unknown";
    for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        hwm = line.substring("VmHWM:".length()).trim().split("\\s+")[0];
      }
    }
    System.out.println("VmHWM_kB " + hwm);
  }
}
