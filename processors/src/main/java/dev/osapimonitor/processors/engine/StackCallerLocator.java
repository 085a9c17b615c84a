package dev.osapimonitor.processors.engine;

import dev.osapimonitor.processors.match.Caller;
import dev.osapimonitor.processors.match.CallerLocator;
import java.lang.StackWalker.StackFrame;
import java.util.EnumSet;
import java.util.List;

/**
 * Finds the application frame of an OS-API call with one lazy stack walk, and in the same walk recognises the
 * agent's and the extension's own calls (the OTLP exporter's sockets, the spool's files): the first frame above the
 * JDK that belongs to them marks the call as {@link CallerLocator#SELF}.
 *
 * <p>Frames of classes loaded by the boot or platform loader are JDK frames. The gate and engine frames on top of the
 * stack are skipped. Library packages ({@code settings.caller.skip_packages}) are stepped over to reach the
 * application's own frame; if only library frames exist, the first of them is reported.
 */
final class StackCallerLocator implements CallerLocator {

  /** The application frame is usually within the first twenty: fetch frames in small batches. */
  private static final StackWalker WALKER =
      StackWalker.getInstance(EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE), 24);
  private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
  private static final String GATE_PACKAGE = "dev.osapimonitor.bootstrap.";
  /**
   * The extension's class loader. When these classes run on the application class path instead (unit tests, the
   * command line), there is no separate loader to recognise, so none is.
   */
  private static final ClassLoader OWN_LOADER =
      StackCallerLocator.class.getClassLoader() == ClassLoader.getSystemClassLoader()
          ? null
          : StackCallerLocator.class.getClassLoader();

  private volatile String[] skipPackages;

  StackCallerLocator(List<String> skipPackages) {
    this.skipPackages = skipPackages.toArray(new String[0]);
  }

  void setSkipPackages(List<String> packages) {
    this.skipPackages = packages.toArray(new String[0]);
  }

  @Override
  public Caller locate(Class<?> skipClass) {
    Classifier classifier = new Classifier(skipPackages, skipClass);
    Caller caller = WALKER.walk(classifier);
    if (caller == null) {
      caller = classifier.firstLibrary;
    }
    return caller == Classifier.NONE ? null : caller;
  }

  /** True for frames of the agent, the extension and the bootstrap bridge. */
  static boolean isAgentClass(Class<?> type) {
    String name = type.getName();
    if (name.startsWith(GATE_PACKAGE) || name.startsWith("io.opentelemetry.javaagent.")) {
      return true;
    }
    ClassLoader loader = type.getClassLoader();
    if (loader == null) {
      return false;
    }
    if (OWN_LOADER != null && loader == OWN_LOADER) {
      return true;
    }
    String loaderName = loader.getClass().getName();
    return loaderName.startsWith("io.opentelemetry.javaagent.")
        || loaderName.startsWith("net.bytebuddy.dynamic.loading.MultipleParentClassLoader");
  }

  static boolean isJdkClass(Class<?> type) {
    ClassLoader loader = type.getClassLoader();
    return loader == null || loader == PLATFORM;
  }

  /**
   * Walks frames top-down; returns a non-null value to stop. States: skipping the gate and engine frames on top,
   * then looking at the first frames above the JDK.
   */
  private static final class Classifier
      implements java.util.function.Function<java.util.stream.Stream<StackFrame>, Caller> {
    static final Caller NONE = new Caller("<none>", "none", null, -1);

    private final String[] skip;
    private final Class<?> skipClass;
    /** 0: engine frames above the gate; 1: in the gate's frames; 2: below the gate (the JDK method and callers). */
    private int state;
    private Caller firstLibrary;
    private int seen;

    Classifier(String[] skip, Class<?> skipClass) {
      this.skip = skip;
      this.skipClass = skipClass;
    }

    @Override
    public Caller apply(java.util.stream.Stream<StackFrame> frames) {
      java.util.Iterator<StackFrame> it = frames.iterator();
      while (it.hasNext()) {
        Caller c = visit(it.next());
        if (c != null) {
          return c;
        }
      }
      return null;
    }

    Caller visit(StackFrame frame) {
      Class<?> type = frame.getDeclaringClass();
      boolean gateFrame = type.getName().startsWith(GATE_PACKAGE);
      if (state < 2) {
        if (gateFrame) {
          state = 1;
          return null;
        }
        if (state == 0) {
          return null;
        }
        state = 2;
      }
      if (++seen > 512) {
        return firstLibrary != null ? firstLibrary : NONE;
      }
      if (gateFrame) {
        return CallerLocator.SELF; // an OS call made while the gate was already on the stack
      }
      if (isJdkClass(type)) {
        return null;
      }
      if (isAgentClass(type)) {
        // The agent's or extension's code made this call, unless the application is already below us.
        return firstLibrary == null ? CallerLocator.SELF : firstLibrary;
      }
      if (skipClass != null && type.isAssignableFrom(skipClass)) {
        return null;
      }
      String name = type.getName();
      for (String prefix : skip) {
        if (name.startsWith(prefix)) {
          if (firstLibrary == null) {
            firstLibrary = toCaller(frame);
          }
          return null;
        }
      }
      return toCaller(frame);
    }

    private static Caller toCaller(StackFrame frame) {
      return new Caller(frame.getClassName(), frame.getMethodName(), frame.getFileName(), frame.getLineNumber());
    }
  }
}
