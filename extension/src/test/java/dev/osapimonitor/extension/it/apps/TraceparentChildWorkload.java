package dev.osapimonitor.extension.it.apps;

import java.io.FileInputStream;

/** Reads a file and prints the trace context it was started with. */
public final class TraceparentChildWorkload {

  public static void main(String[] args) throws Exception {
    try (FileInputStream in = new FileInputStream("/etc/hostname")) {
      in.read();
    }
    System.out.println("child TRACEPARENT=" + System.getenv("TRACEPARENT"));
  }
}
