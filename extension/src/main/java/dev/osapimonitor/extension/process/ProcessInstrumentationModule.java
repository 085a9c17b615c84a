package dev.osapimonitor.extension.process;

import dev.osapimonitor.extension.BootstrapBridgeInstaller;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.List;

/**
 * Process starts ({@code ProcessBuilder.start}, and so every {@code Runtime.exec}). Switch off with
 * {@code otel.instrumentation.osapi-process.enabled=false}.
 */
public class ProcessInstrumentationModule extends InstrumentationModule {

  public ProcessInstrumentationModule() {
    super("osapi-process", "osapi");
    BootstrapBridgeInstaller.install();
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new ProcessBuilderInstrumentation());
  }
}
