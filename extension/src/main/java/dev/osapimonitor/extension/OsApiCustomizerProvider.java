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
    // Defaults only (anything the user sets wins): the SDK's batch processor drops spans once 2048 wait, which a
    // burst of captured calls (a capture-all incident flag on a busy JVM) fills in a tenth of a second. 16384
    // waiting spans (about 25 MiB at worst) ride out a second of 20000 captured calls/s while the spool writes.
    customizer.addPropertiesSupplier(
        () -> Map.of("otel.bsp.max.queue.size", "16384", "otel.bsp.max.export.batch.size", "2048"));
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
