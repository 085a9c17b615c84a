package dev.osapimonitor.extension.deserialization;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.osapimonitor.bootstrap.OsApiCall;
import dev.osapimonitor.bootstrap.OsApiGate;
import dev.osapimonitor.bootstrap.OsApiOps;
import dev.osapimonitor.extension.BootstrapBridgeInstaller;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.io.ObjectStreamClass;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Java deserialization: {@code ObjectInputStream.readObject/readUnshared}, with every class descriptor read while the
 * object graph is rebuilt ({@code readNonProxyDesc}, called however a subclass resolves classes), so that a gadget
 * chain is visible. The call is decided when it completes, once its classes are known. Switch off with
 * {@code otel.instrumentation.osapi-deserialization.enabled=false}.
 */
public class DeserializationInstrumentationModule extends InstrumentationModule {

  public DeserializationInstrumentationModule() {
    super("osapi-deserialization", "osapi");
    BootstrapBridgeInstaller.install();
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new ObjectInputStreamInstrumentation());
  }

  /** {@code java.io.ObjectInputStream}. */
  public static class ObjectInputStreamInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("java.io.ObjectInputStream");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      String prefix = ObjectInputStreamInstrumentation.class.getName();
      transformer.applyAdviceToMethod(
          namedOneOf("readObject", "readUnshared").and(isPublic()).and(takesArguments(0)),
          prefix + "$ReadAdvice");
      transformer.applyAdviceToMethod(
          named("readNonProxyDesc").and(takesArguments(1)), prefix + "$ClassDescriptorAdvice");
    }

    @SuppressWarnings("unused")
    public static class ReadAdvice {
      @Advice.OnMethodEnter(suppress = Throwable.class)
      public static OsApiCall onEnter(@Advice.This Object stream) {
        return OsApiGate.enter(OsApiOps.DESERIALIZATION_READ_OBJECT, stream, null, 0);
      }

      @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
      public static void onExit(
          @Advice.Enter OsApiCall call, @Advice.Return Object result, @Advice.Thrown Throwable error) {
        OsApiGate.exit(call, result, 1, error);
      }
    }

    @SuppressWarnings("unused")
    public static class ClassDescriptorAdvice {
      @Advice.OnMethodExit(suppress = Throwable.class)
      public static void onExit(@Advice.Return ObjectStreamClass descriptor) {
        if (descriptor != null) {
          OsApiGate.annotate(OsApiOps.DESERIALIZATION_READ_OBJECT, descriptor.getName());
        }
      }
    }
  }
}
