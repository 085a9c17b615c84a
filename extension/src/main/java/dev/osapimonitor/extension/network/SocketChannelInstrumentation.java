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
import java.nio.channels.SocketChannel;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code sun.nio.ch.SocketChannelImpl}: connects of NIO channels (the JDK {@code HttpClient}, Netty's NIO transport,
 * ...) and explicit binds. A non-blocking connect is recorded when it is started.
 */
public class SocketChannelInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("sun.nio.ch.SocketChannelImpl");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    String prefix = SocketChannelInstrumentation.class.getName();
    transformer.applyAdviceToMethod(
        named("connect").and(takesArguments(1)).and(takesArgument(0, SocketAddress.class)),
        prefix + "$ConnectAdvice");
    transformer.applyAdviceToMethod(
        named("bind").and(takesArguments(1)).and(takesArgument(0, SocketAddress.class)),
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
        @Advice.Enter OsApiCall call, @Advice.This SocketChannel channel, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, channel, 0, error);
    }
  }

  @SuppressWarnings("unused")
  public static class BindAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.Argument(0) SocketAddress local) {
      return OsApiGate.enter(OsApiOps.NETWORK_BIND, local, null, OsApiOps.NET_TCP);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Enter OsApiCall call, @Advice.This SocketChannel channel, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, channel, 0, error);
    }
  }
}
