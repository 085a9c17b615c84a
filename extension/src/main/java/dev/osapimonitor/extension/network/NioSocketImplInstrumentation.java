package dev.osapimonitor.extension.network;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.osapimonitor.bootstrap.OsApiCall;
import dev.osapimonitor.bootstrap.OsApiGate;
import dev.osapimonitor.bootstrap.OsApiOps;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.net.InetAddress;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code sun.nio.ch.NioSocketImpl}, the implementation behind {@code java.net.Socket} since JDK 13. Its
 * {@code connect(SocketAddress, int)} is where the other connect overloads end; {@code bind} covers a client socket
 * bound before connecting (a server socket's bind is reported once, by {@code ServerSocket.bind}).
 */
public class NioSocketImplInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("sun.nio.ch.NioSocketImpl");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    String prefix = NioSocketImplInstrumentation.class.getName();
    transformer.applyAdviceToMethod(
        named("connect").and(takesArguments(2)).and(takesArgument(0, SocketAddress.class)),
        prefix + "$ConnectAdvice");
    transformer.applyAdviceToMethod(
        named("bind").and(takesArguments(2)).and(takesArgument(0, InetAddress.class)),
        prefix + "$BindAdvice");
  }

  @SuppressWarnings("unused")
  public static class ConnectAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.Argument(0) SocketAddress remote) {
      return OsApiGate.enter(OsApiOps.NETWORK_CONNECT, remote, null, OsApiOps.NET_TCP);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Enter OsApiCall call,
        @Advice.FieldValue("localport") int localPort,
        @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, localPort, error);
    }
  }

  @SuppressWarnings("unused")
  public static class BindAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.Argument(0) InetAddress host, @Advice.Argument(1) int port) {
      return OsApiGate.enter(OsApiOps.NETWORK_BIND, host, null, OsApiOps.NET_TCP | port);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Enter OsApiCall call,
        @Advice.FieldValue("localport") int localPort,
        @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, localPort, error);
    }
  }
}
