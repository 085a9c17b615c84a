package dev.osapimonitor.extension.it.apps;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandles;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InitialContext;

/**
 * One deterministic pass over every instrumented family, succeeding and failing calls alike, printing each result
 * or exception (class and message) — nothing that differs between runs (no ports, pids, times). Run with and without
 * the agent, and with the engine made to throw, the output must be byte-identical.
 *
 * <p>Usage: {@code BehaviourWorkload <empty directory>}
 */
public final class BehaviourWorkload {

  interface Call {
    Object run() throws Throwable;
  }

  static void show(String label, Call call) {
    try {
      System.out.println(label + " -> " + call.run());
    } catch (Throwable t) {
      System.out.println(label + " -> " + t.getClass().getName() + ": " + t.getMessage()
          + (t.getCause() == null ? "" : " (cause " + t.getCause().getClass().getName() + ")"));
    }
  }

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    Path data = dir.resolve("data.csv");
    // file
    show("write", () -> {
      try (FileOutputStream out = new FileOutputStream(data.toFile())) {
        out.write("t,v\n1,2\n".getBytes(StandardCharsets.UTF_8));
      }
      return data.toFile().length();
    });
    show("read", () -> {
      try (FileInputStream in = new FileInputStream(data.toFile())) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace('\n', '|');
      }
    });
    show("raf", () -> {
      try (RandomAccessFile raf = new RandomAccessFile(data.toFile(), "r")) {
        return raf.length();
      }
    });
    show("nio-read", () -> Files.readAllLines(data).size());
    show("copy", () -> Files.copy(data, dir.resolve("copy.csv")).getFileName());
    show("rename", () -> Files.move(dir.resolve("copy.csv"), dir.resolve("moved.csv"),
        StandardCopyOption.REPLACE_EXISTING).getFileName());
    show("mkdir", () -> new File(dir.toFile(), "sub").mkdir());
    show("chmod", () -> dir.resolve("moved.csv").toFile().setReadOnly());
    show("delete", () -> new File(dir.toFile(), "moved.csv").delete());
    show("delete-missing", () -> {
      Files.delete(dir.resolve("missing.csv"));
      return "deleted";
    });
    show("open-missing", () -> new FileInputStream("/nonexistent/osapi/in.txt"));
    // process
    show("exec", () -> {
      Process p = new ProcessBuilder("/bin/echo", "hello", "plant").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return out + " exit " + p.waitFor();
    });
    show("exec-exit", () -> new ProcessBuilder("/bin/sh", "-c", "exit 3").start().waitFor());
    show("exec-missing", () -> new ProcessBuilder("/nonexistent/osapi/binary").start());
    show("runtime-exec", () -> Runtime.getRuntime().exec(new String[] {"/bin/true"}).waitFor());
    // network
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread echo = new Thread(() -> {
        try (Socket s = server.accept()) {
          s.getOutputStream().write(s.getInputStream().read() + 1);
        } catch (Exception e) {
          // the client gave up
        }
      });
      echo.start();
      show("connect", () -> {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
          s.getOutputStream().write(41);
          return s.getInputStream().read();
        }
      });
      echo.join();
    }
    int closed;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }
    show("connect-refused", () -> new Socket(InetAddress.getLoopbackAddress(), closed));
    show("udp", () -> {
      try (DatagramSocket a = new DatagramSocket(0, InetAddress.getLoopbackAddress());
          DatagramSocket b = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        a.send(new DatagramPacket(new byte[] {7}, 1, b.getLocalSocketAddress()));
        DatagramPacket in = new DatagramPacket(new byte[1], 1);
        b.receive(in);
        return in.getData()[0];
      }
    });
    show("dns", () -> InetAddress.getByName("localhost").isLoopbackAddress());
    show("dns-missing", () -> InetAddress.getByName("nonexistent.invalid").getHostAddress().isEmpty());
    // native
    show("loadLibrary", () -> {
      // Not libzip or libmanagement: the upstream agent alone makes loading those from the application fail.
      System.loadLibrary("prefs");
      return "ok";
    });
    show("load-missing", () -> {
      System.load("/nonexistent/osapi/libimplant.so");
      return "loaded";
    });
    // environment
    show("getenv", () -> System.getenv("PATH") != null);
    show("getenv-missing", () -> System.getenv("OSAPI_NO_SUCH_VARIABLE"));
    show("getenv-all", () -> System.getenv().containsKey("PATH"));
    // JNDI
    show("jndi", () -> new InitialContext().lookup("ldap://127.0.0.1:1/cn=x"));
    show("jndi-java", () -> new InitialContext().lookup("java:comp/env/jdbc/plant"));
    // deserialization
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      List<String> tags = new ArrayList<>(List.of("T1", "T2"));
      out.writeObject(tags);
    }
    show("deserialize", () -> {
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return in.readObject();
      }
    });
    show("deserialize-garbage", () -> {
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(new byte[] {1, 2, 3, 4}))) {
        return in.readObject();
      }
    });
    // dynamic code
    show("script", () -> new TinyScriptEngine().eval("40 + 2"));
    byte[] classBytes;
    try (InputStream in = BehaviourWorkload.class.getResourceAsStream("RuntimeDefined.class")) {
      classBytes = in.readAllBytes();
    }
    show("defineHiddenClass", () -> MethodHandles.lookup().defineHiddenClass(classBytes, true).lookupClass()
        .getSimpleName().startsWith("RuntimeDefined"));
    show("defineClass-twice", () -> MethodHandles.lookup().defineClass(classBytes).getSimpleName());
    System.out.println("done");
  }
}
