package dev.osapimonitor.extension.it.apps;

import com.sun.tools.attach.VirtualMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.Map;
import javax.naming.InitialContext;

/**
 * Every call of the second set of families: native loads, environment reads, JNDI lookups, deserialization, script
 * evaluation, run-time class definition, attach, DNS, UDP, child exit codes. Prints what it did.
 */
public final class ApiSurfaceWorkload {

  /** A class of the application that travels through serialization. */
  public static final class TagValue implements Serializable {
    private static final long serialVersionUID = 1L;
    final String tag;
    final double value;

    TagValue(String tag, double value) {
      this.tag = tag;
      this.value = value;
    }
  }

  interface Call {
    Object run() throws Throwable;
  }

  static void show(String label, Call call) {
    try {
      System.out.println(label + " -> " + call.run());
    } catch (Throwable t) {
      System.out.println(label + " -> " + t.getClass().getName());
    }
  }

  public static void main(String[] args) throws Exception {
    show("loadLibrary", () -> {
      System.loadLibrary("zip");
      return "ok";
    });
    show("load-missing", () -> {
      System.load("/nonexistent/osapi/libimplant.so");
      return "loaded";
    });
    show("getenv", () -> System.getenv("PLANT_DB_PASSWORD") != null);
    show("getenv-all", () -> System.getenv().size() > 0);
    show("jndi-ldap", () -> new InitialContext().lookup("ldap://127.0.0.1:1/cn=Exploit"));
    show("jndi-creds", () -> new InitialContext().lookup("ldap://admin:jndi-S3cret@127.0.0.1:1/o=plant"));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      Map<String, TagValue> snapshot = new HashMap<>();
      snapshot.put("T1", new TagValue("T1", 42.0));
      out.writeObject(snapshot);
    }
    show("deserialize", () -> {
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return in.readObject().getClass().getName();
      }
    });

    show("script", () -> new TinyScriptEngine().eval("40 + 2"));
    byte[] classBytes;
    try (InputStream in = ApiSurfaceWorkload.class.getResourceAsStream("RuntimeDefined.class")) {
      classBytes = in.readAllBytes();
    }
    show("defineClass", () -> MethodHandles.lookup().defineClass(classBytes).getName());
    show("defineHiddenClass", () -> MethodHandles.lookup().defineHiddenClass(classBytes, true).lookupClass()
        .getName().startsWith(RuntimeDefined.class.getName()));
    show("attach", () -> {
      VirtualMachine vm = VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
      try {
        vm.loadAgent("/nonexistent/osapi/agent.jar");
      } finally {
        vm.detach();
      }
      return "attached";
    });

    show("dns", () -> InetAddress.getByName("localhost").getHostAddress());

    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket peerA = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket peerB = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      for (int i = 0; i < 3; i++) {
        socket.send(new DatagramPacket(new byte[] {1}, 1, peerA.getLocalSocketAddress()));
      }
      for (int i = 0; i < 2; i++) {
        socket.send(new DatagramPacket(new byte[] {2}, 1, peerB.getLocalSocketAddress()));
      }
      System.out.println("udp peers " + peerA.getLocalPort() + " " + peerB.getLocalPort());
      try (DatagramChannel channel = DatagramChannel.open()) {
        channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), peerA.getLocalPort()));
        System.out.println("udp connected " + peerA.getLocalPort());
      }
    }

    Process waited = new ProcessBuilder("/bin/sh", "-c", "exit 5").start();
    System.out.println("waitFor " + waited.waitFor() + " " + waited.exitValue() + " pid " + waited.pid());
    Process async = new ProcessBuilder("/bin/sh", "-c", "exit 9").start();
    System.out.println("onExit " + async.onExit().get().exitValue() + " pid " + async.pid());
    Thread.sleep(300); // the onExit report is made asynchronously
    System.out.println("done");
  }
}
