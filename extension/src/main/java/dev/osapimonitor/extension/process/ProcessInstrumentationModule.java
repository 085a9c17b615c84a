package dev.osapimonitor.extension.process;

import dev.osapimonitor.extension.BootstrapBridgeInstaller;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.List;

/**
 * Process starts ({@code ProcessBuilder.start}, and so every {@code Runtime.exec}), the JVM's own exit and halt,
 * and children's exit codes as the application reads them. Switch off with
 * {@code otel.instrumentation.osapi-process.enabled=false}.
 */
public class ProcessInstrumentationModule extends InstrumentationModule {

  public ProcessInstrumentationModule() {
    super("osapi-process", "osapi");
    BootstrapBridgeInstaller.install();
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(
        new ProcessBuilderInstrumentation(),
        new ProcessLifecycleInstrumentation.RuntimeExit(),
        new ProcessLifecycleInstrumentation.ChildExit());
  }
}
