package dev.osapimonitor.extension.process;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
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
 * The end of processes. {@code Runtime.exit/halt}: who stopped this JVM (recorded at entry: the methods do not
 * return). {@code ProcessImpl.waitFor/exitValue/onExit}: a child's exit code when the application reads it (the
 * engine reports each child once).
 */
public class ProcessLifecycleInstrumentation {

  private ProcessLifecycleInstrumentation() {}

  /** {@code java.lang.Runtime.exit/halt} ({@code System.exit} calls Runtime.exit). */
  public static class RuntimeExit implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("java.lang.Runtime");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          named("exit").and(takesArguments(1)), RuntimeExit.class.getName() + "$ExitAdvice");
      transformer.applyAdviceToMethod(
          named("halt").and(takesArguments(1)), RuntimeExit.class.getName() + "$HaltAdvice");
    }

    @SuppressWarnings("unused")
    public static class ExitAdvice {
      @Advice.OnMethodEnter(suppress = Throwable.class)
      public static void onEnter(@Advice.Argument(0) int status) {
        OsApiGate.exit(OsApiGate.enter(OsApiOps.PROCESS_EXIT, null, null, status), null, status, null);
      }
    }

    @SuppressWarnings("unused")
    public static class HaltAdvice {
      @Advice.OnMethodEnter(suppress = Throwable.class)
      public static void onEnter(@Advice.Argument(0) int status) {
        OsApiGate.exit(OsApiGate.enter(OsApiOps.PROCESS_HALT, null, null, status), null, status, null);
      }
    }
  }

  /** {@code java.lang.ProcessImpl} (the Unix implementation of Process). */
  public static class ChildExit implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("java.lang.ProcessImpl");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      String prefix = ChildExit.class.getName();
      transformer.applyAdviceToMethod(
          namedOneOf("waitFor", "exitValue").and(takesArguments(0)), prefix + "$ExitCodeAdvice");
      transformer.applyAdviceToMethod(named("waitFor").and(takesArguments(2)), prefix + "$TimedWaitAdvice");
      transformer.applyAdviceToMethod(named("onExit").and(takesArguments(0)), prefix + "$OnExitAdvice");
    }

    @SuppressWarnings("unused")
    public static class ExitCodeAdvice {
      @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
      public static void onExit(
          @Advice.This Process process, @Advice.Return int code, @Advice.Thrown Throwable error) {
        if (error == null) {
          OsApiGate.exit(OsApiGate.enter(OsApiOps.PROCESS_WAIT, process, null, code), process, code, null);
        }
      }
    }

    @SuppressWarnings("unused")
    public static class TimedWaitAdvice {
      @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
      public static void onExit(
          @Advice.This Process process, @Advice.Return boolean exited, @Advice.Thrown Throwable error) {
        if (error == null && exited) {
          int code = process.exitValue();
          OsApiGate.exit(OsApiGate.enter(OsApiOps.PROCESS_WAIT, process, null, code), process, code, null);
        }
      }
    }

    @SuppressWarnings("unused")
    public static class OnExitAdvice {
      /** The engine completes the record when the future does (the detail marks the asynchronous form). */
      @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
      public static void onExit(
          @Advice.This Process process, @Advice.Return Object future, @Advice.Thrown Throwable error) {
        if (error == null) {
          OsApiGate.exit(OsApiGate.enter(OsApiOps.PROCESS_WAIT, process, future, -1), process, -1, null);
        }
      }
    }
  }
}
