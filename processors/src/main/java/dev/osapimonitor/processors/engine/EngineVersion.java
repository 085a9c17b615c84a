package dev.osapimonitor.processors.engine;

/** The product version, as the instrumentation scope version of every span. */
public final class EngineVersion {

  public static final String VERSION = resolve();

  private EngineVersion() {}

  private static String resolve() {
    Package p = EngineVersion.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }
}
