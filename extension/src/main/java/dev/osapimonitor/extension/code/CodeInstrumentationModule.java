package dev.osapimonitor.extension.code;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;
import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
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
 * Dynamic code: script evaluation ({@code javax.script.ScriptEngine.eval} in every engine implementation), classes
 * defined at run time through {@code MethodHandles.Lookup.defineClass/defineHiddenClass} (not the JVM's ordinary
 * class loading, nor lambdas), and the attach API ({@code VirtualMachine.attach}, {@code loadAgent*}). Switch off with
 * {@code otel.instrumentation.osapi-code.enabled=false}.
 */
public class CodeInstrumentationModule extends InstrumentationModule {

  public CodeInstrumentationModule() {
    super("osapi-code", "osapi");
    BootstrapBridgeInstaller.install();
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new ScriptEngineInstrumentation(), new LookupInstrumentation(), new AttachInstrumentation(),
        new AgentLoadInstrumentation());
  }

  /** Every implementation of {@code javax.script.ScriptEngine} (they come with the application: GraalJS, Groovy...). */
  public static class ScriptEngineInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<ClassLoader> classLoaderOptimization() {
      return hasClassesNamed("javax.script.ScriptEngine");
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return implementsInterface(named("javax.script.ScriptEngine")).and(not(isAbstract()));
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          named("eval").and(isPublic()).and(takesArguments(2)),
          ScriptEngineInstrumentation.class.getName() + "$EvalAdvice");
    }

    @SuppressWarnings("unused")
    public static class EvalAdvice {
      /** eval(String|Reader, ScriptContext|Bindings): the one-argument overloads delegate here. */
      @Advice.OnMethodEnter(suppress = Throwable.class)
      public static OsApiCall onEnter(@Advice.This Object engine, @Advice.Argument(0) Object script) {
        return OsApiGate.enter(OsApiOps.CODE_EVAL, engine, script, 0);
      }

      @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
      public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
        OsApiGate.exit(call, null, 1, error);
      }
    }
  }

  /** {@code MethodHandles.Lookup}: decided on completion, when the defined class is known. */
  public static class LookupInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("java.lang.invoke.MethodHandles$Lookup");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          named("defineClass").and(isPublic()).and(takesArguments(1)),
          LookupInstrumentation.class.getName() + "$DefineClassAdvice");
      transformer.applyAdviceToMethod(
          namedOneOf("defineHiddenClass", "defineHiddenClassWithClassData").and(isPublic()),
          LookupInstrumentation.class.getName() + "$DefineHiddenClassAdvice");
    }

    @SuppressWarnings("unused")
    public static class DefineClassAdvice {
      @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
      public static void onExit(@Advice.Return Class<?> defined, @Advice.Thrown Throwable error) {
        OsApiGate.exit(OsApiGate.enter(OsApiOps.CODE_DEFINE_CLASS, defined, null, 0), defined, 1, error);
      }
    }

    @SuppressWarnings("unused")
    public static class DefineHiddenClassAdvice {
      @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
      public static void onExit(@Advice.Return Object lookup, @Advice.Thrown Throwable error) {
        OsApiGate.exit(OsApiGate.enter(OsApiOps.CODE_DEFINE_CLASS, lookup, null, 1), lookup, 1, error);
      }
    }
  }

  /** {@code com.sun.tools.attach.VirtualMachine.attach}. */
  public static class AttachInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("com.sun.tools.attach.VirtualMachine");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          named("attach").and(takesArguments(1)), AttachInstrumentation.class.getName() + "$AttachAdvice");
    }

    @SuppressWarnings("unused")
    public static class AttachAdvice {
      /** The argument is a pid string or a VirtualMachineDescriptor. */
      @Advice.OnMethodEnter(suppress = Throwable.class)
      public static OsApiCall onEnter(@Advice.Argument(0) Object target) {
        return OsApiGate.enter(OsApiOps.CODE_ATTACH, target, null, 0);
      }

      @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
      public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
        OsApiGate.exit(call, null, 1, error);
      }
    }
  }

  /** {@code sun.tools.attach.HotSpotVirtualMachine}: where every loadAgent/loadAgentLibrary/loadAgentPath ends. */
  public static class AgentLoadInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("sun.tools.attach.HotSpotVirtualMachine");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          namedOneOf("loadAgent", "loadAgentLibrary", "loadAgentPath")
              .and(isPublic())
              .and(takesArguments(2))
              .and(takesArgument(0, String.class)),
          AgentLoadInstrumentation.class.getName() + "$LoadAgentAdvice");
    }

    @SuppressWarnings("unused")
    public static class LoadAgentAdvice {
      @Advice.OnMethodEnter(suppress = Throwable.class)
      public static OsApiCall onEnter(@Advice.Argument(0) String agent, @Advice.Origin("#m") String method) {
        return OsApiGate.enter(OsApiOps.CODE_LOAD_AGENT, agent, method, 0);
      }

      @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
      public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
        OsApiGate.exit(call, null, 1, error);
      }
    }
  }
}
