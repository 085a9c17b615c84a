package dev.osapimonitor.extension.file;

import dev.osapimonitor.extension.BootstrapBridgeInstaller;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.List;

/**
 * File access: opens through {@code java.io} streams and {@code RandomAccessFile}, NIO channels and streams, and
 * create / delete / rename / permission changes through {@code java.io.File} and {@code java.nio.file.Files}.
 * Switch off with {@code otel.instrumentation.osapi-file.enabled=false}.
 */
public class FileInstrumentationModule extends InstrumentationModule {

  public FileInstrumentationModule() {
    super("osapi-file", "osapi");
    BootstrapBridgeInstaller.install();
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(
        new FileStreamInstrumentation(),
        new JavaIoFileInstrumentation(),
        new NioFileSystemProviderInstrumentation(),
        new PosixAttributeViewInstrumentation());
  }
}
