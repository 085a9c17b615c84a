package dev.osapimonitor.extension;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import java.util.Map;

/**
 * Wires the extension into the agent's SDK: reads the configuration and loads the policy (first hook that sees the
 * configuration), puts the process identity on the resource, makes sure captured spans are sampled, and composes
 * the configured exporter with the spool or the local file ({@link ExporterWiring}).
 */
public class OsApiCustomizerProvider implements AutoConfigurationCustomizerProvider {

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    // Before anything can load a class that implements a bridge interface.
    BootstrapBridgeInstaller.install();
    customizer.addPropertiesCustomizer(
        config -> {
          OsApiRuntime.configure(OsApiConfig.from(config));
          return Map.of();
        });
    customizer.addResourceCustomizer(
        (resource, config) -> {
          OsApiRuntime.configure(OsApiConfig.from(config));
          var engine = OsApiRuntime.engine();
          return IdentityResource.customize(
              resource, OsApiRuntime.identity(), engine == null ? null : engine.policy().sha256());
        });
    customizer.addSamplerCustomizer((sampler, config) -> new CaptureSampler(sampler));
    customizer.addSpanExporterCustomizer(
        (exporter, config) -> ExporterWiring.wrap(exporter, config, OsApiConfig.from(config).exporter()));
  }

  @Override
  public int order() {
    // After the agent's own customizers, so that the resource replacement sees their attributes.
    return Integer.MAX_VALUE - 10;
  }
}
