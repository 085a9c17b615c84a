package dev.osapimonitor.extension;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The extension's agent-level configuration keys (the policy is a separate file). Every key is documented in
 * {@code docs/configuration.md}; {@link #KEYS} is compared with that document by a test.
 *
 * @param policyFile {@code otel.instrumentation.osapi.policy}
 * @param requireSecureFiles {@code otel.instrumentation.osapi.require-secure-files}
 * @param jmxEnabled {@code otel.instrumentation.osapi.jmx.enabled}
 * @param testingClock {@code otel.instrumentation.osapi.testing.clock}
 * @param testingFault {@code otel.instrumentation.osapi.testing.fault}
 * @param declarativeFile the agent's declarative configuration file ({@code otel.config.file}), when the policy is
 *     embedded there rather than named by {@code otel.instrumentation.osapi.policy}
 */
public record OsApiConfig(
    String declarativeFile,
    String policyFile,
    boolean requireSecureFiles,
    boolean jmxEnabled,
    Instant testingClock,
    String testingFault,
    ExporterConfig exporter) {

  static final String PREFIX = "otel.instrumentation.osapi.";
  static final String POLICY = PREFIX + "policy";
  static final String REQUIRE_SECURE_FILES = PREFIX + "require-secure-files";
  static final String JMX_ENABLED = PREFIX + "jmx.enabled";
  static final String TESTING_CLOCK = PREFIX + "testing.clock";
  static final String TESTING_FAULT = PREFIX + "testing.fault";

  /** Every key this class and {@link ExporterConfig} read. */
  public static final java.util.List<String> KEYS =
      java.util.List.of(
          POLICY, REQUIRE_SECURE_FILES, JMX_ENABLED, TESTING_CLOCK, TESTING_FAULT,
          ExporterConfig.MODE, ExporterConfig.SPOOL_DIR, ExporterConfig.SPOOL_MAX_BYTES,
          ExporterConfig.RETRY_INITIAL_BACKOFF, ExporterConfig.RETRY_MAX_BACKOFF, ExporterConfig.FILE_PATH,
          ExporterConfig.FILE_MAX_BYTES, ExporterConfig.FILE_MAX_FILES);

  static OsApiConfig from(ConfigProperties config) {
    Instant clock = null;
    String clockText = config.getString(TESTING_CLOCK);
    if (clockText != null && !clockText.isBlank()) {
      try {
        clock = Instant.parse(clockText.trim());
      } catch (DateTimeParseException e) {
        java.util.logging.Logger.getLogger(OsApiConfig.class.getName())
            .warning("osapi-monitor: ignoring " + TESTING_CLOCK + "=" + clockText + ": not an ISO-8601 instant");
      }
    }
    String fault = config.getString(TESTING_FAULT, "none").toLowerCase(Locale.ROOT);
    return new OsApiConfig(
        null,
        blankToNull(config.getString(POLICY)),
        config.getBoolean(REQUIRE_SECURE_FILES, true),
        config.getBoolean(JMX_ENABLED, true),
        clock,
        fault,
        ExporterConfig.from(config));
  }

  /**
   * The configuration in declarative mode: the {@code instrumentation/development.java.osapi} node of the file
   * named by {@code otel.config.file}. Its {@code policy} is either a path (a string) or the policy itself (a
   * mapping, read from the file with its line numbers).
   */
  static OsApiConfig fromDeclarative(
      String configFile, io.opentelemetry.api.incubator.config.DeclarativeConfigProperties osapi) {
    String policy = null;
    String embedded = null;
    if (osapi.getPropertyKeys().contains("policy")) {
      if (osapi.getStructured("policy") != null) {
        embedded = configFile;
      } else {
        policy = blankToNull(osapi.getString("policy"));
      }
    }
    var exporter = osapi.getStructured("exporter", io.opentelemetry.api.incubator.config.DeclarativeConfigProperties.empty());
    var spool = exporter.getStructured("spool", io.opentelemetry.api.incubator.config.DeclarativeConfigProperties.empty());
    var retry = exporter.getStructured("retry", io.opentelemetry.api.incubator.config.DeclarativeConfigProperties.empty());
    var file = exporter.getStructured("file", io.opentelemetry.api.incubator.config.DeclarativeConfigProperties.empty());
    var jmx = osapi.getStructured("jmx", io.opentelemetry.api.incubator.config.DeclarativeConfigProperties.empty());
    return new OsApiConfig(
        embedded,
        policy,
        osapi.getBoolean("require_secure_files", true),
        jmx.getBoolean("enabled", true),
        null,
        "none",
        new ExporterConfig(
            exporter.getString("mode", "auto"),
            blankToNull(spool.getString("dir")),
            spool.getLong("max_bytes", 256L * 1024 * 1024),
            Duration.ofMillis(retry.getLong("initial_backoff_ms", 1000)),
            Duration.ofMillis(retry.getLong("max_backoff_ms", 30000)),
            blankToNull(file.getString("path")),
            file.getLong("max_bytes", 64L * 1024 * 1024),
            file.getInt("max_files", 5)));
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** The exporter's keys. */
  public record ExporterConfig(
      String mode,
      String spoolDir,
      long spoolMaxBytes,
      Duration retryInitialBackoff,
      Duration retryMaxBackoff,
      String filePath,
      long fileMaxBytes,
      int fileMaxFiles) {

    static final String MODE = PREFIX + "exporter.mode";
    static final String SPOOL_DIR = PREFIX + "exporter.spool.dir";
    static final String SPOOL_MAX_BYTES = PREFIX + "exporter.spool.max-bytes";
    static final String RETRY_INITIAL_BACKOFF = PREFIX + "exporter.retry.initial-backoff";
    static final String RETRY_MAX_BACKOFF = PREFIX + "exporter.retry.max-backoff";
    static final String FILE_PATH = PREFIX + "exporter.file.path";
    static final String FILE_MAX_BYTES = PREFIX + "exporter.file.max-bytes";
    static final String FILE_MAX_FILES = PREFIX + "exporter.file.max-files";

    static ExporterConfig from(ConfigProperties config) {
      return new ExporterConfig(
          config.getString(MODE, "auto"),
          blankToNull(config.getString(SPOOL_DIR)),
          config.getLong(SPOOL_MAX_BYTES, 256L * 1024 * 1024),
          config.getDuration(RETRY_INITIAL_BACKOFF, Duration.ofSeconds(1)),
          config.getDuration(RETRY_MAX_BACKOFF, Duration.ofSeconds(30)),
          blankToNull(config.getString(FILE_PATH)),
          config.getLong(FILE_MAX_BYTES, 64L * 1024 * 1024),
          config.getInt(FILE_MAX_FILES, 5));
    }
  }
}
