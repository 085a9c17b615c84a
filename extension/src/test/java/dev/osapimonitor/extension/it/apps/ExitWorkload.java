package dev.osapimonitor.extension.it.apps;

/** Stops the JVM with System.exit(7) (or Runtime.halt(8) with argument "halt"). */
public final class ExitWorkload {

  public static void main(String[] args) {
    System.out.println("stopping");
    if (args.length > 0 && args[0].equals("halt")) {
      Runtime.getRuntime().halt(8);
    }
    System.exit(7);
  }
}
