package dev.osapimonitor.extension;

import dev.osapimonitor.exporter.file.OtlpJsonFileSpanExporter;
import dev.osapimonitor.exporter.spool.SpoolingSpanExporter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Composes the exporter the agent configured with ours ({@code otel.instrumentation.osapi.exporter.mode}):
 *
 * <ul>
 *   <li>{@code auto} (default): an OTLP exporter with an endpoint gets the disk spool in front of it; an OTLP
 *       exporter without any configured endpoint is replaced by the local OTLP-JSON file (nothing would listen on
 *       the default localhost:4317/4318); other exporters ({@code console}, {@code logging-otlp}) stay as they are.
 *   <li>{@code otlp}: always the spool in front of the configured OTLP exporter.
 *   <li>{@code file}: always the local file, instead of whatever was configured.
 * </ul>
 */
final class ExporterWiring {

  private static final Logger logger = Logger.getLogger(ExporterWiring.class.getName());
  private static final AttributeKey<String> MODE = AttributeKey.stringKey("osapi.exporter.mode");
  private static final AttributeKey<String> TARGET = AttributeKey.stringKey("osapi.exporter.target");

  private ExporterWiring() {}

  static SpanExporter wrap(SpanExporter configured, ConfigProperties config, OsApiConfig.ExporterConfig settings) {
    String mode = settings.mode().toLowerCase(Locale.ROOT);
    boolean otlp = configured.getClass().getName().startsWith("io.opentelemetry.exporter.otlp.");
    boolean endpoint =
        config.getString("otel.exporter.otlp.traces.endpoint") != null
            || config.getString("otel.exporter.otlp.endpoint") != null;
    String service = config.getString("otel.service.name", "unknown_service");
    if (mode.equals("file") || (mode.equals("auto") && otlp && !endpoint)) {
      Path file = filePath(settings, service);
      configured.shutdown();
      audit("file", file.toString());
      return new OtlpJsonFileSpanExporter(file, settings.fileMaxBytes(), settings.fileMaxFiles());
    }
    if (otlp || mode.equals("otlp")) {
      Path dir = spoolDir(settings, service);
      audit("otlp+spool", dir.toString());
      return SpoolingSpanExporter.builder(withoutRetry(configured))
          .setDirectory(dir)
          .setMaxBytes(settings.spoolMaxBytes())
          .setBackoff(settings.retryInitialBackoff(), settings.retryMaxBackoff())
          .build();
    }
    return configured;
  }

  /**
   * The configured OTLP exporter with its own retries switched off: the spool retries (with its own backoff, and
   * across restarts), and an exporter that retries inside one attempt hides for seconds that the backend is down —
   * the JVM's exit would then wait out the whole shutdown allowance for an answer that cannot come. Anything but
   * the SDK's OTLP span exporters is used as it is.
   */
  static SpanExporter withoutRetry(SpanExporter configured) {
    try {
      SpanExporter rebuilt = null;
      if (configured instanceof io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter) {
        rebuilt =
            ((io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter) configured)
                .toBuilder()
                .setRetryPolicy(null)
                .build();
      } else if (configured instanceof io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter) {
        rebuilt =
            ((io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter) configured)
                .toBuilder()
                .setRetryPolicy(null)
                .build();
      }
      if (rebuilt == null) {
        return configured;
      }
      configured.shutdown();
      return rebuilt;
    } catch (RuntimeException | LinkageError e) {
      logger.fine("osapi-monitor: keeping the exporter's own retries: " + e);
      return configured;
    }
  }

  private static void audit(String mode, String target) {
    var engine = OsApiRuntime.engine();
    String line = "spans go to " + mode + " (" + target + ")";
    if (engine != null) {
      engine.audit().emit("exporter.configured", Attributes.of(MODE, mode, TARGET, target), line, false);
    } else {
      logger.info("osapi-monitor: " + line);
    }
  }

  /** Per user and service, so that JVMs of different services never share a spool (it is locked, too). */
  static Path spoolDir(OsApiConfig.ExporterConfig settings, String service) {
    if (settings.spoolDir() != null) {
      return Paths.get(settings.spoolDir());
    }
    return baseDir().resolve("spool").resolve(safe(service));
  }

  static Path filePath(OsApiConfig.ExporterConfig settings, String service) {
    if (settings.filePath() != null) {
      return Paths.get(settings.filePath());
    }
    return baseDir().resolve("captures-" + safe(service) + ".jsonl");
  }

  private static Path baseDir() {
    return Paths.get(System.getProperty("java.io.tmpdir"), "osapi-monitor-" + safe(System.getProperty("user.name", "user")));
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
