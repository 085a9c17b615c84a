package dev.osapimonitor.extension.it.apps;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Reads {@code <dir>/burst.txt} N times, prints "made N", then waits to be killed (at most 120 s): the spans of the
 * burst must reach the backend even when this process dies before the backend comes back.
 */
public final class BurstWorkload {

  public static void main(String[] args) throws Exception {
    Path file = Paths.get(args[0]).resolve("burst.txt");
    Files.writeString(file, "burst");
    int n = Integer.parseInt(args[1]);
    for (int i = 0; i < n; i++) {
      try (FileInputStream in = new FileInputStream(file.toFile())) {
        in.read();
      }
    }
    System.out.println("made " + n);
    System.out.flush();
    Thread.sleep(120_000);
  }
}
