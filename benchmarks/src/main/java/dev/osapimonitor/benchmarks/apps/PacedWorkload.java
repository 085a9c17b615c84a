package dev.osapimonitor.benchmarks.apps;

import java.io.File;
import java.io.FileInputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Opens and closes a file at a fixed rate for a fixed time (the calls are paced per millisecond), then prints how
 * many calls it made. With a sample interval it also prints the heap used after a full GC every interval:
 * {@code heap <second> <bytes>}.
 *
 * <p>Usage: {@code PacedWorkload <dir> <calls-per-second> <seconds> [<heap-sample-seconds>]}
 */
public final class PacedWorkload {

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    int rate = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    int sampleEvery = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    Files.createDirectories(dir);
    File file = dir.resolve("paced.dat").toFile();
    if (!file.exists()) {
      Files.writeString(file.toPath(), "x");
    }
    long start = System.nanoTime();
    long calls = 0;
    long nextSample = sampleEvery > 0 ? start + TimeUnit.SECONDS.toNanos(sampleEvery) : Long.MAX_VALUE;
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long tick = TimeUnit.MILLISECONDS.toNanos(1);
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      if (now >= nextSample) {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.println("heap " + TimeUnit.NANOSECONDS.toSeconds(now - start) + " " + used);
        nextSample += TimeUnit.SECONDS.toNanos(sampleEvery);
      }
      // Catch up to the schedule: as many calls as the elapsed time is owed, then sleep to the next millisecond.
      long due = (long) ((now - start) / 1e9 * rate);
      while (calls < due) {
        new FileInputStream(file).close();
        calls++;
      }
      LockSupport.parkNanos(tick);
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.println("calls " + calls + " seconds " + String.format("%.2f", elapsed));
  }
}
