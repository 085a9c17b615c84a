package dev.osapimonitor.extension.cli;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code java -jar osapi-monitor-extension.jar <command>}: the extension jar's entry point outside the agent.
 *
 * <p>The policy code uses the bootstrap bridge's operation table, which travels as a nested jar. This launcher puts
 * both jars on one fresh class loader and runs {@link CliCommands} through it, so the commands see exactly the classes
 * the agent sees.
 */
public final class OsApiMonitorCli {

  private OsApiMonitorCli() {}

  public static void main(String[] args) throws Exception {
    URL self = OsApiMonitorCli.class.getProtectionDomain().getCodeSource().getLocation();
    Path bridge = Files.createTempFile("osapi-monitor-bootstrap", ".jar");
    bridge.toFile().deleteOnExit();
    try (InputStream in =
        OsApiMonitorCli.class.getResourceAsStream("/dev/osapimonitor/extension/osapi-monitor-bootstrap.jar")) {
      if (in == null) {
        System.err.println("osapi-monitor: the jar is incomplete (no bootstrap bridge); rebuild it");
        System.exit(2);
        return;
      }
      Files.copy(in, bridge, StandardCopyOption.REPLACE_EXISTING);
    }
    int status;
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {self, bridge.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Class<?> commands = Class.forName(OsApiMonitorCli.class.getPackageName() + ".CliCommands", true, loader);
      Method run = commands.getMethod("run", String[].class);
      status = (Integer) run.invoke(null, (Object) args);
    }
    System.exit(status);
  }
}
