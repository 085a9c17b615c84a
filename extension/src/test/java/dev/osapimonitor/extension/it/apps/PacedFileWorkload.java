package dev.osapimonitor.extension.it.apps;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@code <dir>/paced.txt} at a fixed rate for a fixed time, then prints {@code calls N}: the application's
 * own count of the spans a capture policy must deliver.
 *
 * <p>Usage: {@code PacedFileWorkload <dir> <calls-per-second> <seconds>}
 */
public final class PacedFileWorkload {

  public static void main(String[] args) throws Exception {
    Path file = Paths.get(args[0]).resolve("paced.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "paced");
    int rate = Integer.parseInt(args[1]);
    long seconds = Long.parseLong(args[2]);
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long calls = 0;
    while (System.nanoTime() < end) {
      long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
      while (calls < due) {
        try (FileInputStream in = new FileInputStream(file.toFile())) {
          in.read();
        }
        calls++;
      }
      Thread.sleep(5);
    }
    System.out.println("calls " + calls);
    System.out.flush();
  }
}
