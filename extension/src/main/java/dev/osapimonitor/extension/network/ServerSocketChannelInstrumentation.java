package dev.osapimonitor.extension.network;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.osapimonitor.bootstrap.OsApiCall;
import dev.osapimonitor.bootstrap.OsApiGate;
import dev.osapimonitor.bootstrap.OsApiOps;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code sun.nio.ch.ServerSocketChannelImpl}: bind-and-listen, and accepts (decided on completion, like
 * {@code ServerSocket}'s; a non-blocking accept that returns {@code null} is not a call worth a span).
 */
public class ServerSocketChannelInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("sun.nio.ch.ServerSocketChannelImpl");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    String prefix = ServerSocketChannelInstrumentation.class.getName();
    transformer.applyAdviceToMethod(
        named("bind").and(takesArguments(2)).and(takesArgument(0, SocketAddress.class)),
        prefix + "$BindAdvice");
    transformer.applyAdviceToMethod(named("accept").and(takesArguments(0)), prefix + "$AcceptAdvice");
  }

  @SuppressWarnings("unused")
  public static class BindAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.Argument(0) SocketAddress local) {
      return OsApiGate.enter(
          OsApiOps.NETWORK_BIND, local, null, OsApiOps.NET_TCP | OsApiOps.NET_LISTEN);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Enter OsApiCall call,
        @Advice.This ServerSocketChannel channel,
        @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, channel, 0, error);
    }
  }

  @SuppressWarnings("unused")
  public static class AcceptAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Return SocketChannel accepted, @Advice.Thrown Throwable error) {
      if (accepted != null && error == null) {
        OsApiGate.exit(
            OsApiGate.enter(OsApiOps.NETWORK_ACCEPT, accepted, null, OsApiOps.NET_TCP), accepted, 0, null);
      }
    }
  }
}
