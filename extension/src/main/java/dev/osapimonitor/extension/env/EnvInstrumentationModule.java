package dev.osapimonitor.extension.env;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
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
 * Environment reads: {@code System.getenv(name)} and {@code System.getenv()}. Only the variable's name (or "all")
 * is passed on; the advice never touches the returned value. Switch off with
 * {@code otel.instrumentation.osapi-env.enabled=false}.
 */
public class EnvInstrumentationModule extends InstrumentationModule {

  public EnvInstrumentationModule() {
    super("osapi-env", "osapi");
    BootstrapBridgeInstaller.install();
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new SystemGetenvInstrumentation());
  }

  /** {@code java.lang.System.getenv}. */
  public static class SystemGetenvInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("java.lang.System");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          named("getenv").and(isPublic()).and(isStatic()).and(takesArguments(1)),
          SystemGetenvInstrumentation.class.getName() + "$GetenvAdvice");
      transformer.applyAdviceToMethod(
          named("getenv").and(isPublic()).and(isStatic()).and(takesArguments(0)),
          SystemGetenvInstrumentation.class.getName() + "$GetenvAllAdvice");
    }

    @SuppressWarnings("unused")
    public static class GetenvAdvice {
      @Advice.OnMethodEnter(suppress = Throwable.class)
      public static OsApiCall onEnter(@Advice.Argument(0) String name) {
        return OsApiGate.enter(OsApiOps.ENV_READ, name, null, 0);
      }

      @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
      public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
        OsApiGate.exit(call, null, 1, error);
      }
    }

    @SuppressWarnings("unused")
    public static class GetenvAllAdvice {
      @Advice.OnMethodEnter(suppress = Throwable.class)
      public static OsApiCall onEnter() {
        return OsApiGate.enter(OsApiOps.ENV_READ, null, null, 0);
      }

      @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
      public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
        OsApiGate.exit(call, null, 1, error);
      }
    }
  }
}
