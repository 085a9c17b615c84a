package dev.osapimonitor.extension.it.apps;

/** Never referenced by name: ApiSurfaceWorkload defines it at run time from its class file bytes. */
public final class RuntimeDefined {

  @Override
  public String toString() {
    return "defined at run time";
  }
}
