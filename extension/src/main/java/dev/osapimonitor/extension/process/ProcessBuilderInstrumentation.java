package dev.osapimonitor.extension.process;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.osapimonitor.bootstrap.OsApiCall;
import dev.osapimonitor.bootstrap.OsApiGate;
import dev.osapimonitor.bootstrap.OsApiOps;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code ProcessBuilder.start(Redirect[])} is private and called by {@code start()} and {@code startPipeline}; every
 * {@code Runtime.exec} overload builds a {@code ProcessBuilder}. Instrumenting the builder (rather than
 * {@code ProcessImpl}) gives the span the exception the application sees, and lets the handler add
 * {@code TRACEPARENT} to the child's environment before the process exists.
 */
public class ProcessBuilderInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("java.lang.ProcessBuilder");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("start").and(isPrivate()).and(takesArguments(1)),
        ProcessBuilderInstrumentation.class.getName() + "$StartAdvice");
  }

  @SuppressWarnings("unused")
  public static class StartAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.This ProcessBuilder builder) {
      return OsApiGate.enter(OsApiOps.PROCESS_EXEC, builder, null, 0);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Enter OsApiCall call, @Advice.Return Process process, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, process, 0, error);
    }
  }
}
