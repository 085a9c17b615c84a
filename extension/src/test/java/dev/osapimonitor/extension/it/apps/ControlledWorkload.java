package dev.osapimonitor.extension.it.apps;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Reads {@code <dir>/tick.txt} every 50 ms until {@code <dir>/stop} appears (at most 60 s), so a test can change
 * flags and policies while the application runs. Prints "ready" once it has started.
 */
public final class ControlledWorkload {

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    Path tick = dir.resolve("tick.txt");
    Files.writeString(tick, "tick");
    System.out.println("ready");
    System.out.flush();
    long deadline = System.currentTimeMillis() + 60_000;
    int n = 0;
    while (!Files.exists(dir.resolve("stop")) && System.currentTimeMillis() < deadline) {
      try (FileInputStream in = new FileInputStream(tick.toFile())) {
        in.read();
      }
      n++;
      Thread.sleep(50);
    }
    System.out.println("done " + n);
  }
}
