package dev.osapimonitor.extension.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a workload in a child JVM under the real agent and the built extension, the way users run it: either the
 * upstream agent plus {@code -Dotel.javaagent.extensions=osapi-monitor-extension.jar}, or the extended agent jar alone.
 * The JDK comes from {@code osapi.it.javaHome} (CI runs the suite on Java 17 and on Temurin 25).
 */
public final class ChildJvm {

  public enum Agent {
    NONE,
    AGENT_ONLY,
    AGENT_AND_EXTENSION,
    EXTENDED_AGENT
  }

  public record Result(int exitCode, String stdout, String stderr, long pid) {
    public List<String> lines() {
      return stdout.lines().toList();
    }
  }

  private final String mainClass;
  private String jar;
  private Agent agent = Agent.AGENT_AND_EXTENSION;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final List<String> args = new ArrayList<>();
  private final List<String> jvmArgs = new ArrayList<>();
  private Path workingDirectory;
  private long timeoutSeconds = 90;

  private ChildJvm(String mainClass) {
    this.mainClass = mainClass;
    properties.put("otel.service.name", "osapi-it");
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    properties.put("otel.bsp.schedule.delay", "100");
    properties.put("otel.instrumentation.osapi.jmx.enabled", "false");
    // Each child gets its own spool: the default one (under java.io.tmpdir) is shared by every JVM of the user, so
    // batches a child left behind would be replayed into a later test's receiver, and a child running beside
    // another could not lock it.
    properties.put(SPOOL_DIR, freshSpoolDirectory().toString());
  }

  static final String SPOOL_DIR = "otel.instrumentation.osapi.exporter.spool.dir";

  private static Path freshSpoolDirectory() {
    Path base =
        System.getProperty("osapi.it.testClasses") != null
            ? Paths.get(System.getProperty("osapi.it.testClasses")).toAbsolutePath().getParent()
            : Paths.get(System.getProperty("java.io.tmpdir"));
    return base.resolve("it-spool").resolve(java.util.UUID.randomUUID().toString());
  }

  public static ChildJvm of(Class<?> mainClass) {
    return new ChildJvm(mainClass.getName());
  }

  /** An application packaged as an executable jar ({@code java -jar app.jar ...}). */
  public static ChildJvm ofJar(String jarPath) {
    ChildJvm child = new ChildJvm(null);
    child.jar = jarPath;
    return child;
  }

  public ChildJvm agent(Agent agent) {
    this.agent = agent;
    return this;
  }

  public ChildJvm policy(Path policy) {
    return property("otel.instrumentation.osapi.policy", policy.toString());
  }

  /** A policy from {@code examples/policies}. */
  public ChildJvm examplePolicy(String fileName) {
    return policy(Paths.get(System.getProperty("osapi.it.policies"), fileName));
  }

  public ChildJvm exportTo(OtlpReceiver receiver) {
    properties.put("otel.traces.exporter", "otlp");
    properties.put("otel.exporter.otlp.traces.protocol", receiver.protocol());
    properties.put("otel.exporter.otlp.traces.endpoint",
        receiver.protocol().equals("grpc") ? receiver.endpoint() : receiver.endpoint() + "/v1/traces");
    return this;
  }

  public ChildJvm property(String key, String value) {
    if (value == null) {
      properties.remove(key);
    } else {
      properties.put(key, value);
    }
    return this;
  }

  public ChildJvm env(String key, String value) {
    environment.put(key, value);
    return this;
  }

  public ChildJvm jvmArg(String arg) {
    jvmArgs.add(arg);
    return this;
  }

  public ChildJvm args(String... values) {
    args.addAll(List.of(values));
    return this;
  }

  public ChildJvm workingDirectory(Path dir) {
    this.workingDirectory = dir;
    return this;
  }

  public ChildJvm timeoutSeconds(long seconds) {
    this.timeoutSeconds = seconds;
    return this;
  }

  public static String javaExecutable() {
    String home = System.getProperty("osapi.it.javaHome", System.getProperty("java.home"));
    return Paths.get(home, "bin", "java").toString();
  }

  /** The command line this child would run with. */
  public List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable());
    switch (agent) {
      case AGENT_ONLY:
        cmd.add("-javaagent:" + required("osapi.it.agentJar"));
        break;
      case AGENT_AND_EXTENSION:
        cmd.add("-javaagent:" + required("osapi.it.agentJar"));
        cmd.add("-Dotel.javaagent.extensions=" + required("osapi.it.extensionJar"));
        break;
      case EXTENDED_AGENT:
        cmd.add("-javaagent:" + required("osapi.it.extendedAgentJar"));
        break;
      default:
        break;
    }
    cmd.add("-Xshare:auto");
    cmd.addAll(jvmArgs);
    if (agent != Agent.NONE) {
      for (Map.Entry<String, String> p : properties.entrySet()) {
        cmd.add("-D" + p.getKey() + "=" + p.getValue());
      }
    }
    if (jar != null) {
      cmd.add("-jar");
      cmd.add(jar);
    } else {
      cmd.add("-cp");
      cmd.add(classPath());
      cmd.add(mainClass);
    }
    cmd.addAll(args);
    return cmd;
  }

  public Result run() throws IOException, InterruptedException {
    Path out = Files.createTempFile("osapi-it-out", ".txt");
    Path err = Files.createTempFile("osapi-it-err", ".txt");
    try {
      ProcessBuilder pb = new ProcessBuilder(command()).redirectOutput(out.toFile()).redirectError(err.toFile());
      if (workingDirectory != null) {
        pb.directory(workingDirectory.toFile());
      }
      pb.environment().putAll(environment);
      Process process = pb.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError(
            "child JVM timed out after " + timeoutSeconds + "s: " + mainClass + "\n" + read(err));
      }
      return new Result(process.exitValue(), read(out), read(err), process.pid());
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Starts the child without waiting (for kill tests and long-running apps). */
  public Process start(Path stdout, Path stderr) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    if (workingDirectory != null) {
      pb.directory(workingDirectory.toFile());
    }
    pb.environment().putAll(environment);
    return pb.start();
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException(property + " is not set: run the integration tests through Maven (verify)");
    }
    return value;
  }

  /**
   * The test classes (workloads) and the OpenTelemetry API jars a workload may use, taken from this JVM's class path.
   */
  static String classPath() {
    List<String> entries = new ArrayList<>();
    entries.add(System.getProperty("osapi.it.testClasses", Paths.get("target", "test-classes").toString()));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Paths.get(entry).getFileName().toString();
      if (name.startsWith("opentelemetry-api-") || name.startsWith("opentelemetry-context-")
          || name.startsWith("opentelemetry-common-")) {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
