package dev.osapimonitor.extension.dns;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.named;
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
 * Name resolution: {@code InetAddress.getByName/getAllByName} — what every client library calls with a host name
 * (resolver and cache internals differ between JDK 17 and 25; the public methods do not). The addresses returned
 * are recorded. Switch off with {@code otel.instrumentation.osapi-dns.enabled=false}.
 */
public class DnsInstrumentationModule extends InstrumentationModule {

  public DnsInstrumentationModule() {
    super("osapi-dns", "osapi");
    BootstrapBridgeInstaller.install();
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new InetAddressInstrumentation());
  }

  /** {@code java.net.InetAddress}'s resolving entry points. */
  public static class InetAddressInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("java.net.InetAddress");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          namedOneOf("getByName", "getAllByName")
              .and(isPublic())
              .and(isStatic())
              .and(takesArguments(1))
              .and(takesArgument(0, String.class)),
          InetAddressInstrumentation.class.getName() + "$ResolveAdvice");
    }

    @SuppressWarnings("unused")
    public static class ResolveAdvice {
      @Advice.OnMethodEnter(suppress = Throwable.class)
      public static OsApiCall onEnter(@Advice.Argument(0) String host) {
        return OsApiGate.enter(OsApiOps.DNS_RESOLVE, host, null, 0);
      }

      @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
      public static void onExit(
          @Advice.Enter OsApiCall call, @Advice.Return Object addresses, @Advice.Thrown Throwable error) {
        OsApiGate.exit(call, addresses, 1, error);
      }
    }
  }
}
