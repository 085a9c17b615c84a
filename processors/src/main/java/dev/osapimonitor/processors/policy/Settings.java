package dev.osapimonitor.processors.policy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The policy's {@code settings} section: engine behaviour that is not about which calls to capture. */
public record Settings(
    Path flagsDir,
    Duration reloadInterval,
    int maxAttributeLength,
    int maxCommandArgs,
    boolean callerEnabled,
    List<String> callerSkipPackages,
    boolean propagateTraceContext,
    Duration windowMaxDuration,
    int windowMaxSpans,
    Duration dryRunReportInterval,
    String enduserAttribute) {

  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_ATTRIBUTE_LENGTH = 4096;
  public static final int DEFAULT_MAX_COMMAND_ARGS = 256;
  public static final Duration DEFAULT_WINDOW_MAX_DURATION = Duration.ofMinutes(15);
  public static final int DEFAULT_WINDOW_MAX_SPANS = 5000;
  public static final Duration DEFAULT_DRY_RUN_REPORT_INTERVAL = Duration.ofSeconds(60);

  /** Packages treated as library code when looking for the calling application frame. */
  public static final List<String> DEFAULT_CALLER_SKIP_PACKAGES =
      List.of(
          "java.", "javax.", "jdk.", "sun.", "com.sun.", "kotlin.", "scala.",
          "org.apache.", "org.eclipse.jetty.", "io.netty.", "okhttp3.", "okio.", "com.fasterxml.",
          "org.springframework.", "io.undertow.", "org.glassfish.", "ch.qos.logback.", "org.slf4j.",
          "com.google.", "io.grpc.", "io.micrometer.", "reactor.", "io.vertx.", "org.hibernate.");

  public static Settings defaults() {
    return new Settings(
        null,
        DEFAULT_RELOAD_INTERVAL,
        DEFAULT_MAX_ATTRIBUTE_LENGTH,
        DEFAULT_MAX_COMMAND_ARGS,
        true,
        DEFAULT_CALLER_SKIP_PACKAGES,
        true,
        DEFAULT_WINDOW_MAX_DURATION,
        DEFAULT_WINDOW_MAX_SPANS,
        DEFAULT_DRY_RUN_REPORT_INTERVAL,
        "enduser.id");
  }
}
