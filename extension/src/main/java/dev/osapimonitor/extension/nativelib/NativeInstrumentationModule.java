package dev.osapimonitor.extension.nativelib;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.osapimonitor.bootstrap.OsApiCall;
import dev.osapimonitor.bootstrap.OsApiGate;
import dev.osapimonitor.bootstrap.OsApiOps;
import dev.osapimonitor.extension.BootstrapBridgeInstaller;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Native library loads: {@code System.load/loadLibrary} and {@code Runtime.load/loadLibrary} all end in
 * {@code Runtime.load0} / {@code loadLibrary0} (same on JDK 17 and 25). Switch off with
 * {@code otel.instrumentation.osapi-native.enabled=false}.
 */
public class NativeInstrumentationModule extends InstrumentationModule {

  public NativeInstrumentationModule() {
    super("osapi-native", "osapi");
    BootstrapBridgeInstaller.install();
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new RuntimeLoadInstrumentation());
  }

  /** {@code java.lang.Runtime}'s package-private load entry points. */
  public static class RuntimeLoadInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("java.lang.Runtime");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          named("load0").and(takesArguments(2)).and(takesArgument(1, String.class)),
          RuntimeLoadInstrumentation.class.getName() + "$LoadAdvice");
      transformer.applyAdviceToMethod(
          named("loadLibrary0").and(takesArguments(2)).and(takesArgument(1, String.class)),
          RuntimeLoadInstrumentation.class.getName() + "$LoadLibraryAdvice");
    }

    @SuppressWarnings("unused")
    public static class LoadAdvice {
      /** Value 1: the argument is a path (System.load). */
      @Advice.OnMethodEnter(suppress = Throwable.class)
      public static OsApiCall onEnter(@Advice.Argument(1) String path) {
        return OsApiGate.enter(OsApiOps.NATIVE_LOAD, path, null, 1);
      }

      @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
      public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
        OsApiGate.exit(call, null, 1, error);
      }
    }

    @SuppressWarnings("unused")
    public static class LoadLibraryAdvice {
      /** Value 0: the argument is a library name, resolved on java.library.path (System.loadLibrary). */
      @Advice.OnMethodEnter(suppress = Throwable.class)
      public static OsApiCall onEnter(@Advice.Argument(1) String name) {
        return OsApiGate.enter(OsApiOps.NATIVE_LOAD, name, null, 0);
      }

      @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
      public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
        OsApiGate.exit(call, null, 1, error);
      }
    }
  }
}
