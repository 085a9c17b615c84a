package dev.osapimonitor.extension.it.apps;

import java.io.IOException;

/** Process starts through ProcessBuilder and Runtime.exec, a secret on a command line, a missing executable. */
public final class ProcessWorkload {

  public static void main(String[] args) throws Exception {
    Process p = new ProcessBuilder("/bin/sh", "-c", "exit 3").start();
    System.out.println("exit " + p.waitFor() + " pid " + p.pid());
    Runtime.getRuntime().exec("/bin/echo runtime-exec-string").waitFor();
    Runtime.getRuntime().exec(new String[] {"/bin/echo", "runtime-exec-array"}).waitFor();
    new ProcessBuilder("/bin/echo", "--password=hunter2-secret", "-u", "admin").start().waitFor();
    try {
      new ProcessBuilder("/nonexistent/definitely-missing-binary", "x").start();
    } catch (IOException e) {
      System.out.println("missing: " + e.getClass().getName() + ": " + e.getMessage());
    }
    System.out.println("done");
  }
}
