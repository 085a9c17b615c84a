package dev.osapimonitor.extension;

import io.opentelemetry.javaagent.extension.ignore.IgnoredTypesBuilder;
import io.opentelemetry.javaagent.extension.ignore.IgnoredTypesConfigurer;

/**
 * The agent ignores {@code java.*}, {@code jdk.*} and {@code sun.*} classes unless told otherwise; without these
 * allowances the advice on them is silently never applied. This configurer runs before any class is transformed,
 * which also makes it the place to put the bootstrap bridge in place.
 */
public class OsApiIgnoredTypesConfigurer implements IgnoredTypesConfigurer {

  @Override
  public void configure(IgnoredTypesBuilder builder) {
    BootstrapBridgeInstaller.install();
    for (String className : InstrumentedJdkClasses.ALL) {
      builder.allowClass(className);
    }
  }
}
