package dev.osapimonitor.extension.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A real Jaeger v2 process (the binary deploy/otel/jaeger/build.sh built), started from one of the shipped configs
 * with free loopback ports, stopped and restarted by tests, and queried through its HTTP API.
 */
public final class Jaeger implements AutoCloseable {

  public final int otlpGrpc;
  public final int otlpHttp;
  public final int query;
  public final int health;
  private final Path config;
  private final Path log;
  private Process process;

  private Jaeger(String yaml, Path workDir) throws IOException {
    this.otlpGrpc = freePort();
    this.otlpHttp = freePort();
    this.query = freePort();
    this.health = freePort();
    String ported =
        yaml.replace("127.0.0.1:4317", "127.0.0.1:" + otlpGrpc)
            .replace("127.0.0.1:4318", "127.0.0.1:" + otlpHttp)
            .replace("127.0.0.1:16686", "127.0.0.1:" + query)
            .replace("127.0.0.1:16685", "127.0.0.1:" + freePort())
            .replace("127.0.0.1:13133", "127.0.0.1:" + health)
            .replace("/tmp/osapi-monitor-jaeger", workDir.resolve("badger").toString());
    this.config = workDir.resolve("jaeger-" + otlpGrpc + ".yaml");
    this.log = workDir.resolve("jaeger-" + otlpGrpc + ".log");
    Files.writeString(config, ported);
  }

  public static Path binary() {
    String path = System.getProperty("osapi.e2e.jaeger");
    if (path == null || path.isBlank()) {
      throw new IllegalStateException(
          "osapi.e2e.jaeger is not set: run the end-to-end suite with -Pe2e (it builds Jaeger via deploy/otel/jaeger/build.sh)");
    }
    return Paths.get(path);
  }

  public static String shippedConfig(String name) throws IOException {
    return Files.readString(Paths.get(System.getProperty("osapi.e2e.deploy"), "jaeger", name), StandardCharsets.UTF_8);
  }

  /** Starts Jaeger with {@code yaml} (ports rewritten) and waits until it is healthy. */
  public static Jaeger start(String yaml, Path workDir) throws Exception {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      Jaeger jaeger = new Jaeger(yaml, workDir);
      try {
        jaeger.launch();
        return jaeger;
      } catch (IllegalStateException e) {
        // A free port can be taken by someone else's outgoing connection before Jaeger binds it: new ports.
        last = e;
        jaeger.stop();
      }
    }
    throw last;
  }

  /** Starts (or restarts) the process on this instance's ports; retries while a port is briefly taken. */
  public void launch() throws Exception {
    for (int attempt = 0; ; attempt++) {
      try {
        launchOnce();
        return;
      } catch (IllegalStateException e) {
        if (attempt >= 4 || !tail().contains("address already in use")) {
          throw e;
        }
        Thread.sleep(1000);
      }
    }
  }

  private void launchOnce() throws Exception {
    process =
        new ProcessBuilder(binary().toString(), "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Jaeger exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        if (get("http://127.0.0.1:" + health + "/status").contains("StatusOK")) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("Jaeger not healthy after 60 s:\n" + tail());
  }

  /** Stops Jaeger (SIGTERM, then SIGKILL); its ports refuse connections until {@link #launch()}. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  public String grpcEndpoint() {
    return "http://127.0.0.1:" + otlpGrpc;
  }

  public String httpEndpoint() {
    return "http://127.0.0.1:" + otlpHttp + "/v1/traces";
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public static String get(String url) throws IOException {
    try {
      HttpResponse<String> r =
          HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** A Jaeger API call, parsed (JSON is YAML). */
  @SuppressWarnings("unchecked")
  public Map<String, Object> api(String pathAndQuery) throws IOException {
    String body = get("http://127.0.0.1:" + query + pathAndQuery);
    return (Map<String, Object>) new Load(LoadSettings.builder().setCodePointLimit(256 * 1024 * 1024).build())
        .loadFromString(body);
  }

  /** The traces of a service, optionally filtered by operation and tags (JSON object), with every span. */
  @SuppressWarnings("unchecked")
  public List<JaegerTrace> traces(String service, String operation, String tagsJson) throws IOException {
    StringBuilder q = new StringBuilder("/api/traces?service=").append(service).append("&limit=100000&lookback=2h");
    if (operation != null) {
      q.append("&operation=").append(java.net.URLEncoder.encode(operation, StandardCharsets.UTF_8));
    }
    if (tagsJson != null) {
      q.append("&tags=").append(java.net.URLEncoder.encode(tagsJson, StandardCharsets.UTF_8));
    }
    Map<String, Object> response = api(q.toString());
    List<JaegerTrace> out = new ArrayList<>();
    Object data = response.get("data");
    if (data instanceof List) {
      for (Object t : (List<Object>) data) {
        out.add(new JaegerTrace((Map<String, Object>) t));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  public JaegerTrace trace(String traceId) throws IOException {
    Map<String, Object> response = api("/api/traces/" + traceId);
    List<Object> data = (List<Object>) response.get("data");
    return data == null || data.isEmpty() ? null : new JaegerTrace((Map<String, Object>) data.get(0));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
