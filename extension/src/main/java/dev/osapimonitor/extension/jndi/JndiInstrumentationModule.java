package dev.osapimonitor.extension.jndi;

import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
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
 * JNDI lookups: {@code InitialContext.lookup/lookupLink} (the usual entry, Log4Shell's path) and the JDK's URL
 * contexts ({@code ldap:}, {@code rmi:}, {@code dns:} ... all extend {@code GenericURLContext}) for code that uses
 * them directly. A lookup through InitialContext is one span. Switch off with
 * {@code otel.instrumentation.osapi-jndi.enabled=false}.
 */
public class JndiInstrumentationModule extends InstrumentationModule {

  public JndiInstrumentationModule() {
    super("osapi-jndi", "osapi");
    BootstrapBridgeInstaller.install();
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new ContextLookupInstrumentation());
  }

  /** The lookup methods of InitialContext and GenericURLContext. */
  public static class ContextLookupInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return namedOneOf("javax.naming.InitialContext", "com.sun.jndi.toolkit.url.GenericURLContext");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          namedOneOf("lookup", "lookupLink").and(takesArguments(1)),
          ContextLookupInstrumentation.class.getName() + "$LookupAdvice");
    }

    @SuppressWarnings("unused")
    public static class LookupAdvice {
      /** The argument is a String or a javax.naming.Name; the engine reads its text only if it records the call. */
      @Advice.OnMethodEnter(suppress = Throwable.class)
      public static OsApiCall onEnter(@Advice.Argument(0) Object name) {
        return OsApiGate.enter(OsApiOps.JNDI_LOOKUP, name, null, 0);
      }

      @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
      public static void onExit(@Advice.Enter OsApiCall call, @Advice.Thrown Throwable error) {
        OsApiGate.exit(call, null, 1, error);
      }
    }
  }
}
