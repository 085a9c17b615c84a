package dev.osapimonitor.extension.file;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.osapimonitor.bootstrap.OsApiCall;
import dev.osapimonitor.bootstrap.OsApiGate;
import dev.osapimonitor.bootstrap.OsApiOps;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.nio.file.Path;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Permission and owner changes through NIO: {@code Files.setPosixFilePermissions}, {@code Files.setOwner} and
 * {@code Files.setAttribute(p, "posix:permissions", ...)} all reach {@code UnixFileAttributeViews$Posix}, whose
 * {@code file} field is the path.
 */
public class PosixAttributeViewInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("sun.nio.fs.UnixFileAttributeViews$Posix");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    String prefix = PosixAttributeViewInstrumentation.class.getName();
    transformer.applyAdviceToMethod(
        named("setPermissions").and(takesArguments(1)), prefix + "$ChmodAdvice");
    transformer.applyAdviceToMethod(named("setOwner").and(takesArguments(1)), prefix + "$ChownAdvice");
  }

  @SuppressWarnings("unused")
  public static class ChmodAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(
        @Advice.FieldValue("file") Path file, @Advice.Argument(0) Object permissions) {
      return OsApiGate.enter(OsApiOps.FILE_CHMOD, file, permissions, 0);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, 1, error);
    }
  }

  @SuppressWarnings("unused")
  public static class ChownAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.FieldValue("file") Path file, @Advice.Argument(0) Object owner) {
      return OsApiGate.enter(OsApiOps.FILE_CHOWN, file, owner, 0);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, 1, error);
    }
  }
}
