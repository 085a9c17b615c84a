package dev.osapimonitor.extension.it.apps;

import java.io.FileInputStream;

/** Reads a file now and then for about two seconds, so the exporter ships batches while the application runs. */
public final class IdleWorkload {

  public static void main(String[] args) throws Exception {
    long until = System.currentTimeMillis() + Long.parseLong(args.length > 0 ? args[0] : "2000");
    while (System.currentTimeMillis() < until) {
      try (FileInputStream in = new FileInputStream("/etc/hostname")) {
        in.read();
      }
      Thread.sleep(200);
    }
    System.out.println("done");
  }
}
