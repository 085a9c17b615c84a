package dev.osapimonitor.extension.file;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.osapimonitor.bootstrap.OsApiCall;
import dev.osapimonitor.bootstrap.OsApiGate;
import dev.osapimonitor.bootstrap.OsApiOps;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.io.File;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code java.io.File}'s state-changing methods. They report failure by returning {@code false}, which the span
 * records as an error. The public methods are used (not the platform {@code FileSystem} behind them) because their
 * names are the same on every JDK.
 */
public class JavaIoFileInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("java.io.File");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    String prefix = JavaIoFileInstrumentation.class.getName();
    transformer.applyAdviceToMethod(
        named("delete").and(isPublic()).and(takesArguments(0)), prefix + "$DeleteAdvice");
    transformer.applyAdviceToMethod(
        named("createNewFile").and(takesArguments(0)), prefix + "$CreateAdvice");
    transformer.applyAdviceToMethod(named("mkdir").and(takesArguments(0)), prefix + "$MkdirAdvice");
    transformer.applyAdviceToMethod(named("renameTo").and(takesArguments(1)), prefix + "$RenameAdvice");
    transformer.applyAdviceToMethod(
        namedOneOf("setReadable", "setWritable", "setExecutable").and(takesArguments(2)),
        prefix + "$PermissionAdvice");
    transformer.applyAdviceToMethod(
        named("setReadOnly").and(takesArguments(0)), prefix + "$ReadOnlyAdvice");
  }

  @SuppressWarnings("unused")
  public static class DeleteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.This File file) {
      return OsApiGate.enter(OsApiOps.FILE_DELETE, file.getPath(), null, 0);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Enter OsApiCall call, @Advice.Return boolean ok, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, ok ? 1 : 0, error);
    }
  }

  @SuppressWarnings("unused")
  public static class CreateAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.This File file) {
      return OsApiGate.enter(OsApiOps.FILE_CREATE, file.getPath(), null, 0);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Enter OsApiCall call, @Advice.Return boolean ok, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, ok ? 1 : 0, error);
    }
  }

  @SuppressWarnings("unused")
  public static class MkdirAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.This File file) {
      return OsApiGate.enter(OsApiOps.FILE_MKDIR, file.getPath(), null, 0);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Enter OsApiCall call, @Advice.Return boolean ok, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, ok ? 1 : 0, error);
    }
  }

  @SuppressWarnings("unused")
  public static class RenameAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.This File file, @Advice.Argument(0) File target) {
      return OsApiGate.enter(OsApiOps.FILE_RENAME, file.getPath(), target, 0);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Enter OsApiCall call, @Advice.Return boolean ok, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, ok ? 1 : 0, error);
    }
  }

  @SuppressWarnings("unused")
  public static class PermissionAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(
        @Advice.This File file,
        @Advice.Origin("#m") String method,
        @Advice.Argument(0) boolean enable,
        @Advice.Argument(1) boolean ownerOnly) {
      // The change in chmod notation; only string constants, so nothing is allocated before the gate decides.
      String change;
      if (method.equals("setReadable")) {
        change = enable ? (ownerOnly ? "u+r" : "a+r") : (ownerOnly ? "u-r" : "a-r");
      } else if (method.equals("setWritable")) {
        change = enable ? (ownerOnly ? "u+w" : "a+w") : (ownerOnly ? "u-w" : "a-w");
      } else {
        change = enable ? (ownerOnly ? "u+x" : "a+x") : (ownerOnly ? "u-x" : "a-x");
      }
      return OsApiGate.enter(OsApiOps.FILE_CHMOD, file.getPath(), change, 0);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Enter OsApiCall call, @Advice.Return boolean ok, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, ok ? 1 : 0, error);
    }
  }

  @SuppressWarnings("unused")
  public static class ReadOnlyAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.This File file) {
      return OsApiGate.enter(OsApiOps.FILE_CHMOD, file.getPath(), "a-w", 0);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Enter OsApiCall call, @Advice.Return boolean ok, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, ok ? 1 : 0, error);
    }
  }
}
