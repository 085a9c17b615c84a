package dev.osapimonitor.extension.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code flag raise|lower|list --pid <pid> ...}: the FlagControl MBean of a running JVM, reached the way jconsole
 * reaches a local JVM — the JDK's attach mechanism starts the JVM's local (loopback, same-user) JMX agent, and the
 * operation is invoked over it. Attach works only for the JVM's own OS user (or root); that is the authorisation,
 * and every operation is audited in the target JVM with actor {@code jmx:local}.
 */
final class FlagCommand {

  static final String OBJECT_NAME = dev.osapimonitor.processors.engine.FlagControl.OBJECT_NAME;

  static final String USAGE =
      String.join(
          "\n",
          "usage: flag raise --pid <pid> --name <name> --reason <text> --ttl <duration> [--ticket <id>]"
              + " [--families <f,g>]",
          "       flag lower --pid <pid> --name <name> --reason <text>",
          "       flag list  --pid <pid>");

  private FlagCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || !Set.of("raise", "lower", "list").contains(args[0])) {
      err.println(USAGE);
      return 2;
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        err.println("flag: '" + args[i] + "' needs a value\n" + USAGE);
        return 2;
      }
      options.put(args[i].substring(2), args[++i]);
    }
    Set<String> allowed =
        switch (args[0]) {
          case "raise" -> Set.of("pid", "name", "reason", "ttl", "ticket", "families");
          case "lower" -> Set.of("pid", "name", "reason");
          default -> Set.of("pid");
        };
    Set<String> required =
        switch (args[0]) {
          case "raise" -> Set.of("pid", "name", "reason", "ttl");
          case "lower" -> Set.of("pid", "name", "reason");
          default -> Set.of("pid");
        };
    for (String key : options.keySet()) {
      if (!allowed.contains(key)) {
        err.println("flag " + args[0] + ": unknown option --" + key + "\n" + USAGE);
        return 2;
      }
    }
    for (String key : required) {
      if (options.get(key) == null || options.get(key).isBlank()) {
        err.println("flag " + args[0] + ": --" + key + " is required\n" + USAGE);
        return 2;
      }
    }
    String pid = options.get("pid");
    if (!pid.matches("[0-9]{1,10}")) {
      err.println("flag: --pid must be a process id, not '" + pid + "'");
      return 2;
    }
    try (JMXConnector connector = connect(pid)) {
      MBeanServerConnection server = connector.getMBeanServerConnection();
      ObjectName name = new ObjectName(OBJECT_NAME);
      switch (args[0]) {
        case "raise" -> out.println(server.invoke(name, "raise",
            new Object[] {options.get("name"), options.get("reason"), options.getOrDefault("ticket", ""),
                options.get("ttl"), options.getOrDefault("families", "")},
            new String[] {"java.lang.String", "java.lang.String", "java.lang.String", "java.lang.String",
                "java.lang.String"}));
        case "lower" -> {
          int lowered = (Integer) server.invoke(name, "lower",
              new Object[] {options.get("name"), options.get("reason")},
              new String[] {"java.lang.String", "java.lang.String"});
          out.println("lowered " + lowered + " flag(s) named " + options.get("name"));
          if (lowered == 0) {
            return 1;
          }
        }
        default -> {
          String[] active = (String[]) server.invoke(name, "list", new Object[0], new String[0]);
          out.println("policy " + server.getAttribute(name, "PolicySource") + " sha256="
              + server.getAttribute(name, "PolicySha256"));
          if (active.length == 0) {
            out.println("no active flags, windows or triggers");
          }
          Arrays.stream(active).forEach(out::println);
        }
      }
      return 0;
    } catch (InstanceNotFoundException e) {
      err.println("flag: JVM " + pid + " has no osapi-monitor FlagControl (not under the agent, or"
          + " otel.instrumentation.osapi.jmx.enabled=false)");
      return 1;
    } catch (MBeanException | javax.management.RuntimeMBeanException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      err.println("flag " + args[0] + " refused by JVM " + pid + ": " + cause.getMessage());
      return 1;
    } catch (AttachFailure e) {
      err.println("flag: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      err.println("flag " + args[0] + " failed on JVM " + pid + ": " + e);
      return 1;
    }
  }

  static final class AttachFailure extends Exception {
    AttachFailure(String message) {
      super(message);
    }
  }

  /**
   * Attaches to {@code pid}, starts (or finds) its local JMX agent and connects. The attach API lives in the
   * {@code jdk.attach} module, which the CLI's class loader does not see: it is reached through the system loader.
   */
  private static JMXConnector connect(String pid) throws AttachFailure, IOException {
    Class<?> vmClass;
    try {
      vmClass = Class.forName("com.sun.tools.attach.VirtualMachine", true, ClassLoader.getSystemClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AttachFailure("this Java runtime has no attach API (module jdk.attach): run the command with a JDK");
    }
    Object vm;
    try {
      vm = vmClass.getMethod("attach", String.class).invoke(null, pid);
    } catch (InvocationTargetException e) {
      throw new AttachFailure("cannot attach to JVM " + pid + ": " + e.getCause()
          + " (attach needs the JVM's own OS user, and a JVM without -XX:+DisableAttachMechanism)");
    } catch (ReflectiveOperationException e) {
      throw new AttachFailure("attach API unusable: " + e);
    }
    try {
      Method start = vmClass.getMethod("startLocalManagementAgent");
      String address = (String) start.invoke(vm);
      return JMXConnectorFactory.connect(new JMXServiceURL(address));
    } catch (InvocationTargetException e) {
      throw new AttachFailure("JVM " + pid + " did not start its local JMX agent: " + e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new AttachFailure("attach API unusable: " + e);
    } finally {
      try {
        vmClass.getMethod("detach").invoke(vm);
      } catch (ReflectiveOperationException e) {
        // detached when this process exits anyway
      }
    }
  }
}
