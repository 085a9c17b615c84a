package dev.osapimonitor.extension.network;

import dev.osapimonitor.extension.BootstrapBridgeInstaller;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.List;

/**
 * Network: outbound connects ({@code Socket}, {@code SocketChannel}, and so every HTTP client built on them), binds
 * and listens ({@code ServerSocket}, {@code ServerSocketChannel}), accepts, and UDP ({@code DatagramSocket},
 * {@code DatagramChannel}: bind, connect, first send to each peer). Switch off with
 * {@code otel.instrumentation.osapi-network.enabled=false}.
 */
public class NetworkInstrumentationModule extends InstrumentationModule {

  public NetworkInstrumentationModule() {
    super("osapi-network", "osapi");
    BootstrapBridgeInstaller.install();
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(
        new NioSocketImplInstrumentation(),
        new ServerSocketInstrumentation(),
        new SocketChannelInstrumentation(),
        new ServerSocketChannelInstrumentation(),
        new DatagramChannelInstrumentation());
  }
}
