package dev.osapimonitor.extension;

import io.opentelemetry.api.incubator.config.DeclarativeConfigProperties;
import io.opentelemetry.instrumentation.api.incubator.config.internal.DeclarativeConfigUtil;
import io.opentelemetry.javaagent.extension.AgentListener;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

/**
 * Starts the engine once the SDK exists and the instrumentation is installed, before the application's main. In
 * declarative-configuration mode (where the SDK customizers never ran) it also reads the configuration, from the
 * {@code instrumentation/development.java.osapi} node.
 */
public class OsApiAgentListener implements AgentListener {

  @Override
  public void afterAgent(AutoConfiguredOpenTelemetrySdk autoConfiguredSdk) {
    OpenTelemetrySdk sdk = autoConfiguredSdk.getOpenTelemetrySdk();
    OsApiRuntime.start(sdk, fallbackConfig(sdk));
  }

  private static OsApiConfig fallbackConfig(OpenTelemetrySdk sdk) {
    String declarativeFile = System.getProperty("otel.config.file");
    if (declarativeFile == null || declarativeFile.isBlank()) {
      declarativeFile = System.getenv("OTEL_CONFIG_FILE");
    }
    if (declarativeFile != null && !declarativeFile.isBlank()) {
      try {
        DeclarativeConfigProperties osapi = DeclarativeConfigUtil.getInstrumentationConfig(sdk, "osapi");
        if (osapi != null) {
          return OsApiConfig.fromDeclarative(declarativeFile.trim(), osapi);
        }
      } catch (RuntimeException | LinkageError e) {
        java.util.logging.Logger.getLogger(OsApiAgentListener.class.getName())
            .warning("osapi-monitor: cannot read the declarative configuration: " + e);
      }
    }
    return OsApiConfig.from(SystemConfig.properties());
  }
}
