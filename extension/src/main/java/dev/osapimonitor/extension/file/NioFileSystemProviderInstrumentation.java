package dev.osapimonitor.extension.file;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.osapimonitor.bootstrap.OsApiCall;
import dev.osapimonitor.bootstrap.OsApiGate;
import dev.osapimonitor.bootstrap.OsApiOps;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.nio.file.Path;
import java.util.Set;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * NIO on Linux: every {@code Files.newInputStream/newOutputStream/newByteChannel/readAllBytes/write/createFile},
 * {@code FileChannel.open}, {@code Files.delete/move/copy/createDirectory/createLink/createSymbolicLink} ends in
 * {@code sun.nio.fs.UnixFileSystemProvider}. The open options are passed through unread: turning them into a mode
 * would cost an iterator on calls the policy then drops.
 */
public class NioFileSystemProviderInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("sun.nio.fs.UnixFileSystemProvider");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    String prefix = NioFileSystemProviderInstrumentation.class.getName();
    transformer.applyAdviceToMethod(
        namedOneOf("newByteChannel", "newFileChannel")
            .and(takesArguments(3))
            .and(takesArgument(0, Path.class))
            .and(takesArgument(1, Set.class)),
        prefix + "$OpenAdvice");
    transformer.applyAdviceToMethod(
        named("implDelete").and(takesArguments(2)).and(takesArgument(0, Path.class)),
        prefix + "$DeleteAdvice");
    transformer.applyAdviceToMethod(
        named("move").and(takesArguments(3)).and(takesArgument(0, Path.class)),
        prefix + "$MoveAdvice");
    transformer.applyAdviceToMethod(
        named("copy").and(takesArguments(3)).and(takesArgument(0, Path.class)),
        prefix + "$CopyAdvice");
    transformer.applyAdviceToMethod(
        named("createDirectory").and(takesArguments(2)).and(takesArgument(0, Path.class)),
        prefix + "$MkdirAdvice");
    transformer.applyAdviceToMethod(
        namedOneOf("createSymbolicLink", "createLink").and(takesArgument(0, Path.class)),
        prefix + "$LinkAdvice");
  }

  @SuppressWarnings("unused")
  public static class OpenAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.Argument(0) Path path, @Advice.Argument(1) Set<?> options) {
      return OsApiGate.enter(OsApiOps.FILE_OPEN, path, options, OsApiOps.MODE_FROM_OPTIONS);
    }

    // Value 1: success unless it threw (the engine may turn an exclusive-create open into a file.create).
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, 1, error);
    }
  }

  @SuppressWarnings("unused")
  public static class DeleteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.Argument(0) Path path) {
      return OsApiGate.enter(OsApiOps.FILE_DELETE, path, null, 0);
    }

    // implDelete returns false only for deleteIfExists on a missing file: not an error.
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, 1, error);
    }
  }

  @SuppressWarnings("unused")
  public static class MoveAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.Argument(0) Path source, @Advice.Argument(1) Path target) {
      return OsApiGate.enter(OsApiOps.FILE_RENAME, source, target, 0);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, 1, error);
    }
  }

  @SuppressWarnings("unused")
  public static class CopyAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.Argument(0) Path source, @Advice.Argument(1) Path target) {
      return OsApiGate.enter(OsApiOps.FILE_COPY, source, target, 0);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, 1, error);
    }
  }

  @SuppressWarnings("unused")
  public static class MkdirAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.Argument(0) Path path) {
      return OsApiGate.enter(OsApiOps.FILE_MKDIR, path, null, 0);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, 1, error);
    }
  }

  @SuppressWarnings("unused")
  public static class LinkAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.Argument(0) Path link, @Advice.Argument(1) Path target) {
      return OsApiGate.enter(OsApiOps.FILE_LINK, link, target, 0);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, 1, error);
    }
  }
}
