package dev.osapimonitor.extension.network;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.osapimonitor.bootstrap.OsApiCall;
import dev.osapimonitor.bootstrap.OsApiGate;
import dev.osapimonitor.bootstrap.OsApiOps;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code java.net.ServerSocket}: {@code bind(SocketAddress, int)} (which every constructor with a port calls) is a
 * bind-and-listen; {@code implAccept(Socket)} completes every {@code accept()}, SSL server sockets included. An
 * accept is decided when it completes, because only then is the peer known; its span marks the moment of accept.
 */
public class ServerSocketInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("java.net.ServerSocket");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    String prefix = ServerSocketInstrumentation.class.getName();
    transformer.applyAdviceToMethod(
        named("bind").and(takesArguments(2)).and(takesArgument(0, SocketAddress.class)),
        prefix + "$BindAdvice");
    transformer.applyAdviceToMethod(
        named("implAccept").and(takesArguments(1)).and(takesArgument(0, Socket.class)),
        prefix + "$AcceptAdvice");
  }

  @SuppressWarnings("unused")
  public static class BindAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.Argument(0) SocketAddress endpoint) {
      return OsApiGate.enter(
          OsApiOps.NETWORK_BIND, endpoint, null, OsApiOps.NET_TCP | OsApiOps.NET_LISTEN);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Enter OsApiCall call, @Advice.This ServerSocket socket, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, null, error == null ? socket.getLocalPort() : 0, error);
    }
  }

  @SuppressWarnings("unused")
  public static class AcceptAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Argument(0) Socket accepted, @Advice.Thrown Throwable error) {
      if (error == null) {
        OsApiGate.exit(
            OsApiGate.enter(OsApiOps.NETWORK_ACCEPT, accepted, null, OsApiOps.NET_TCP), accepted, 0, null);
      }
    }
  }
}
