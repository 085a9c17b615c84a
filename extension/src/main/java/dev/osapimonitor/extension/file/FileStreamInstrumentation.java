package dev.osapimonitor.extension.file;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
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
 * {@code FileInputStream}, {@code FileOutputStream} and {@code RandomAccessFile} (and so {@code FileReader},
 * {@code FileWriter}, {@code ZipFile}, ...). Their constructors all call a private {@code open} method; advice on
 * the constructors could not see a constructor's exception (Byte Buddy forbids it), so the advice goes on
 * {@code open}, which has the same signature on JDK 17 and 25.
 */
public class FileStreamInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf("java.io.FileInputStream", "java.io.FileOutputStream", "java.io.RandomAccessFile");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("open").and(isPrivate()).and(takesArguments(1)).and(takesArgument(0, String.class)),
        FileStreamInstrumentation.class.getName() + "$ReadOpenAdvice");
    transformer.applyAdviceToMethod(
        named("open").and(isPrivate()).and(takesArguments(2)).and(takesArgument(1, boolean.class)),
        FileStreamInstrumentation.class.getName() + "$WriteOpenAdvice");
    transformer.applyAdviceToMethod(
        named("open").and(isPrivate()).and(takesArguments(2)).and(takesArgument(1, int.class)),
        FileStreamInstrumentation.class.getName() + "$RandomAccessOpenAdvice");
  }

  @SuppressWarnings("unused")
  public static class ReadOpenAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.Argument(0) String path) {
      return OsApiGate.enter(OsApiOps.FILE_OPEN, path, null, OsApiOps.MODE_READ);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, 0, error);
    }
  }

  @SuppressWarnings("unused")
  public static class WriteOpenAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.Argument(0) String path, @Advice.Argument(1) boolean append) {
      return OsApiGate.enter(
          OsApiOps.FILE_OPEN,
          path,
          null,
          append
              ? OsApiOps.MODE_APPEND | OsApiOps.MODE_CREATE
              : OsApiOps.MODE_WRITE | OsApiOps.MODE_CREATE | OsApiOps.MODE_TRUNCATE);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, 0, error);
    }
  }

  @SuppressWarnings("unused")
  public static class RandomAccessOpenAdvice {
    // RandomAccessFile's private mode bits: O_RDONLY = 1, O_RDWR = 2, O_SYNC = 4, O_DSYNC = 8.
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.Argument(0) String path, @Advice.Argument(1) int mode) {
      return OsApiGate.enter(
          OsApiOps.FILE_OPEN,
          path,
          null,
          (mode & 2) != 0 ? OsApiOps.MODE_READ_WRITE | OsApiOps.MODE_CREATE : OsApiOps.MODE_READ);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, 0, error);
    }
  }
}
