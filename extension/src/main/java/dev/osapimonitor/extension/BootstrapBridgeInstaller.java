package dev.osapimonitor.extension;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Puts the bootstrap bridge ({@code dev.osapimonitor.bootstrap.*}) on the bootstrap class path.
 *
 * <p>Advice is inlined into JDK classes, which resolve names through the bootstrap loader only, so the classes the
 * advice calls must live there. The agent's helper injection would define them lazily, when the first instrumented
 * class is transformed; the extension's own classes (the engine that implements {@code CallHandler}) may need them
 * earlier. Appending a nested jar once, before any instrumentation is installed, gives one copy that both sides see:
 * the agent's and the extension's class loaders delegate unknown names to the bootstrap loader.
 *
 * <p>The bridge classes are deliberately not loose classes in the extension jar: if installation failed, loading
 * them from the extension's class loader would create a second, disconnected copy. Instead they fail loudly.
 */
public final class BootstrapBridgeInstaller {

  private static final Logger logger = Logger.getLogger(BootstrapBridgeInstaller.class.getName());
  static final String BRIDGE_JAR_RESOURCE = "osapi-monitor-bootstrap.jar";
  static final String PROBE_CLASS = "dev.osapimonitor.bootstrap.OsApiGate";

  private static boolean installed;

  private BootstrapBridgeInstaller() {}

  /** Idempotent; returns true when the bridge is (now) on the bootstrap class path. */
  public static synchronized boolean install() {
    if (installed) {
      return true;
    }
    if (isOnBootstrapPath()) {
      installed = true;
      return true;
    }
    Instrumentation instrumentation = agentInstrumentation();
    if (instrumentation == null) {
      logger.log(Level.SEVERE, "osapi-monitor: no Instrumentation available; OS-API calls will not be recorded");
      return false;
    }
    try (InputStream in = BootstrapBridgeInstaller.class.getResourceAsStream(BRIDGE_JAR_RESOURCE)) {
      if (in == null) {
        logger.log(Level.SEVERE, "osapi-monitor: {0} missing from the extension jar", BRIDGE_JAR_RESOURCE);
        return false;
      }
      Path jar = Files.createTempFile("osapi-monitor-bootstrap", ".jar");
      Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
      jar.toFile().deleteOnExit();
      instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
      installed = isOnBootstrapPath();
      if (!installed) {
        logger.log(Level.SEVERE, "osapi-monitor: bootstrap bridge not visible after appending {0}", jar);
      }
      return installed;
    } catch (IOException | RuntimeException e) {
      logger.log(Level.SEVERE, "osapi-monitor: cannot install the bootstrap bridge", e);
      return false;
    }
  }

  /**
   * The agent keeps its {@link Instrumentation} in a bootstrap holder class; the artifact that declares it is not
   * published for extensions, so it is read reflectively.
   */
  private static Instrumentation agentInstrumentation() {
    try {
      Class<?> holder = Class.forName("io.opentelemetry.javaagent.bootstrap.InstrumentationHolder", false, null);
      return (Instrumentation) holder.getMethod("getInstrumentation").invoke(null);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      logger.log(Level.SEVERE, "osapi-monitor: cannot reach the agent's Instrumentation", e);
      return null;
    }
  }

  private static boolean isOnBootstrapPath() {
    try {
      Class.forName(PROBE_CLASS, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
