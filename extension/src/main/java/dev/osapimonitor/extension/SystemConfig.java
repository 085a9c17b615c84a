package dev.osapimonitor.extension;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.util.Map;

/**
 * The configuration from system properties and environment, for the paths where the SDK's autoconfiguration did
 * not hand it to us (declarative configuration mode, where customizers are not applied).
 */
final class SystemConfig {

  private SystemConfig() {}

  static ConfigProperties properties() {
    return DefaultConfigProperties.create(
        Map.of(), io.opentelemetry.common.ComponentLoader.forClassLoader(SystemConfig.class.getClassLoader()));
  }
}
