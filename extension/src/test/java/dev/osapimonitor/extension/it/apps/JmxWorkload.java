package dev.osapimonitor.extension.it.apps;

import java.io.FileInputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Raises a flag over JMX (as an operator's JMX client would, here from inside the JVM), reads 50 files under it,
 * and lowers it again. Prints what the MBean answered.
 */
public final class JmxWorkload {

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("dev.osapimonitor:type=FlagControl");
    long deadline = System.currentTimeMillis() + 20_000;
    while (!server.isRegistered(name) && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    String[] sig = {String.class.getName(), String.class.getName(), String.class.getName(),
        String.class.getName(), String.class.getName()};
    Object raised = server.invoke(name, "raise",
        new Object[] {"jmx-incident", "operator investigation", "INC-9", "10m", "file"}, sig);
    System.out.println("raised " + raised);
    for (int i = 0; i < 50; i++) {
      Path file = dir.resolve("f" + i + ".txt");
      Files.writeString(file, "x");
      try (FileInputStream in = new FileInputStream(file.toFile())) {
        in.read();
      }
    }
    Object lowered = server.invoke(name, "lower", new Object[] {"jmx-incident", "investigation closed"},
        new String[] {String.class.getName(), String.class.getName()});
    System.out.println("lowered " + lowered);
  }
}
