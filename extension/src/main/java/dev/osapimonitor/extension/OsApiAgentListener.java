package dev.osapimonitor.extension;

import io.opentelemetry.javaagent.extension.AgentListener;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

/** Starts the engine once the SDK exists and the instrumentation is installed, before the application's main. */
public class OsApiAgentListener implements AgentListener {

  @Override
  public void afterAgent(AutoConfiguredOpenTelemetrySdk autoConfiguredSdk) {
    OsApiRuntime.start(
        autoConfiguredSdk.getOpenTelemetrySdk(),
        OsApiConfig.from(SystemConfig.properties()));
  }
}
