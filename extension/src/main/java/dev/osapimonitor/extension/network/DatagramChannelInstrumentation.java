package dev.osapimonitor.extension.network;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.osapimonitor.bootstrap.OsApiCall;
import dev.osapimonitor.bootstrap.OsApiGate;
import dev.osapimonitor.bootstrap.OsApiOps;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.io.FileDescriptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * UDP: {@code sun.nio.ch.DatagramChannelImpl}, which is also what {@code java.net.DatagramSocket} uses since
 * JDK 17. Binds and connects are recorded; of unconnected sends only the first to each peer (the engine remembers
 * peers per channel), never one span per packet. The private {@code send(FileDescriptor, ByteBuffer,
 * InetSocketAddress)} is where both the channel's and the socket's sends meet on JDK 17 and 25.
 */
public class DatagramChannelInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("sun.nio.ch.DatagramChannelImpl");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    String prefix = DatagramChannelInstrumentation.class.getName();
    transformer.applyAdviceToMethod(
        named("bind").and(takesArguments(1)).and(takesArgument(0, SocketAddress.class)), prefix + "$BindAdvice");
    transformer.applyAdviceToMethod(
        named("connect").and(takesArguments(2)).and(takesArgument(0, SocketAddress.class)),
        prefix + "$ConnectAdvice");
    transformer.applyAdviceToMethod(
        named("send")
            .and(takesArguments(3))
            .and(takesArgument(0, FileDescriptor.class))
            .and(takesArgument(1, ByteBuffer.class))
            .and(takesArgument(2, InetSocketAddress.class)),
        prefix + "$SendAdvice");
  }

  @SuppressWarnings("unused")
  public static class BindAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.Argument(0) SocketAddress local) {
      return OsApiGate.enter(OsApiOps.NETWORK_BIND, local, null, OsApiOps.NET_UDP);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Enter OsApiCall call, @Advice.This DatagramChannel channel, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, channel, 0, error);
    }
  }

  @SuppressWarnings("unused")
  public static class ConnectAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(@Advice.Argument(0) SocketAddress remote) {
      return OsApiGate.enter(OsApiOps.NETWORK_CONNECT, remote, null, OsApiOps.NET_UDP);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Enter OsApiCall call, @Advice.This DatagramChannel channel, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, channel, 0, error);
    }
  }

  @SuppressWarnings("unused")
  public static class SendAdvice {
    /** The channel is passed as detail so the engine can tell a new peer from a repeat. */
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OsApiCall onEnter(
        @Advice.This DatagramChannel channel, @Advice.Argument(2) InetSocketAddress target) {
      return OsApiGate.enter(OsApiOps.NETWORK_SEND, target, channel, OsApiOps.NET_UDP);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Enter OsApiCall call, @Advice.This DatagramChannel channel, @Advice.Thrown Throwable error) {
      OsApiGate.exit(call, channel, 0, error);
    }
  }
}
