package dev.osapimonitor.extension.it.apps;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Inputs an attacker controls, at their limits: a 1 MiB argument, 100,000 arguments, file names with control
 * characters, broken UTF-16 and 16k characters, a deeply nested object graph, an over-long DNS name. Prints each
 * outcome (deterministic), then the heap in use.
 */
public final class HostileWorkload {

  interface Call {
    Object run() throws Throwable;
  }

  static void show(String label, Call call) {
    try {
      System.out.println(label + " -> " + call.run());
    } catch (Throwable t) {
      String message = String.valueOf(t.getMessage());
      System.out.println(label + " -> " + t.getClass().getName() + ": "
          + (message.length() > 120 ? message.substring(0, 120) + "..." : message));
    }
  }

  public static void main(String[] args) throws Exception {
    String huge = "A".repeat(1 << 20);
    show("exec-1MiB-argument", () -> new ProcessBuilder("/bin/echo", huge).start().waitFor());
    List<String> many = new ArrayList<>();
    many.add("/bin/true");
    for (int i = 0; i < 100_000; i++) {
      many.add("x");
    }
    show("exec-100k-arguments", () -> new ProcessBuilder(many).start().waitFor());
    show("path-control-characters",
        () -> new FileInputStream("/nonexistent/osapi/report\n2026-12-03 INFO fake log line\u001b[31m.csv"));
    show("path-broken-utf16", () -> new FileInputStream("/nonexistent/osapi/\uD800half-a-surrogate.csv"));
    show("path-16k", () -> new FileInputStream("/nonexistent/" + "d".repeat(16 * 1024)));
    show("path-bidi-override", () -> new FileInputStream("/nonexistent/osapi/invoice\u202Egpj.exe"));

    // Serialization recurses per level: run it on a thread with a large stack, as a server might.
    Thread deep = new Thread(null, () -> {
      Object nested = "leaf";
      for (int i = 0; i < 3000; i++) {
        List<Object> level = new ArrayList<>(1);
        level.add(nested);
        nested = level;
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(nested);
      } catch (Exception e) {
        System.out.println("serialize -> " + e);
        return;
      }
      show("deserialize-3000-levels", () -> {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
          Object o = in.readObject();
          int depth = 0;
          while (o instanceof List) {
            o = ((List<?>) o).get(0);
            depth++;
          }
          return depth + " " + o;
        }
      });
    }, "deep-graph", 512L * 1024 * 1024);
    deep.start();
    deep.join();
    show("dns-300-characters", () -> InetAddress.getByName("a".repeat(63) + "." + "b".repeat(63) + "."
        + "c".repeat(63) + "." + "d".repeat(63) + "." + "e".repeat(40) + ".invalid").getHostAddress());
    System.gc();
    long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    System.err.println("heap-used-after-gc " + used);
    System.out.println("done");
  }
}
