package dev.osapimonitor.extension.it.apps;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Reader;
import java.io.Serializable;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Paths;
import javax.naming.InitialContext;
import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptException;
import javax.script.SimpleBindings;

/**
 * The OS calls attackers make from inside a container call: a gadget whose {@code readObject} starts a shell and
 * reads a file (with a nested {@code readObject} of its own), a JNDI lookup that connects to its server, and a
 * script whose evaluation starts a process. Usage: {@code NestedCallsWorkload <file to read>}.
 */
public final class NestedCallsWorkload {

  /** A serializable class whose deserialization runs code, as gadget chains do. */
  public static final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
    String file;

    private void writeObject(ObjectOutputStream out) throws IOException {
      out.defaultWriteObject();
      out.writeObject(new ApiSurfaceWorkload.TagValue("nested", 1.0));
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      Object nested = in.readObject(); // nested in the outer readObject: part of it, not a second span
      System.out.println("gadget nested " + nested.getClass().getSimpleName());
      try {
        System.out.println("gadget shell " + new ProcessBuilder("/bin/sh", "-c", "exit 3").start().waitFor());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      System.out.println("gadget read " + Files.readAllBytes(Paths.get(file)).length);
    }
  }

  /** A script engine whose scripts are command lines: what an attacker's script does with Runtime.exec. */
  public static final class CommandScriptEngine extends AbstractScriptEngine {
    @Override
    public Object eval(String script, ScriptContext context) throws ScriptException {
      try {
        return new ProcessBuilder(script.split(" ")).start().waitFor();
      } catch (IOException | InterruptedException e) {
        throw new ScriptException(e.toString());
      }
    }

    @Override
    public Object eval(Reader reader, ScriptContext context) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Bindings createBindings() {
      return new SimpleBindings();
    }

    @Override
    public ScriptEngineFactory getFactory() {
      return null;
    }
  }

  public static void main(String[] args) throws Exception {
    Gadget gadget = new Gadget();
    gadget.file = args[0];
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(gadget);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      System.out.println("deserialized " + in.readObject().getClass().getSimpleName());
    }

    try (ServerSocket server = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try (Socket s = server.accept()) {
          s.getInputStream().read(); // the client's LDAP bind request, then close: the lookup fails
        } catch (IOException ignored) {
          // the lookup gave up first
        }
      });
      acceptor.start();
      System.out.println("jndi port " + server.getLocalPort());
      try {
        new InitialContext().lookup("ldap://127.0.0.1:" + server.getLocalPort() + "/cn=payload");
      } catch (Exception e) {
        System.out.println("jndi " + e.getClass().getSimpleName());
      }
      acceptor.join(10_000);
    }

    System.out.println("script " + new CommandScriptEngine().eval("/bin/true"));
  }
}
