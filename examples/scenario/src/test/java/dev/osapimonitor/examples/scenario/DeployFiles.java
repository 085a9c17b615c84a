package dev.osapimonitor.examples.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * deploy/otel as data: the compose file and the configuration files it mounts, parsed strictly (duplicate keys are
 * errors), with the little knowledge of each component needed to say which ports a service listens on.
 */
final class DeployFiles {

  final Path deploy;
  final Map<String, Object> compose;

  DeployFiles() throws IOException {
    String dir = System.getProperty("osapi.e2e.deploy");
    deploy = Paths.get(dir == null ? "../../deploy/otel" : dir).toAbsolutePath().normalize();
    compose = map(yaml(deploy.resolve("docker-compose.yaml")), "docker-compose.yaml");
  }

  static Object yaml(Path file) throws IOException {
    LoadSettings settings = LoadSettings.builder().setAllowDuplicateKeys(false).setLabel(file.toString()).build();
    return new Load(settings).loadFromString(Files.readString(file, StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o, String what) {
    if (!(o instanceof Map)) {
      throw new AssertionError(what + " is not a mapping: " + o);
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o, String what) {
    if (o == null) {
      return List.of();
    }
    if (!(o instanceof List)) {
      throw new AssertionError(what + " is not a list: " + o);
    }
    return (List<Object>) o;
  }

  /** Walks a path of mapping keys; null when any step is missing. */
  static Object at(Object root, String... keys) {
    Object o = root;
    for (String k : keys) {
      if (!(o instanceof Map)) {
        return null;
      }
      o = ((Map<?, ?>) o).get(k);
    }
    return o;
  }

  Map<String, Object> services() {
    return map(compose.get("services"), "services");
  }

  Map<String, Object> service(String name) {
    return map(services().get(name), "services." + name);
  }

  List<String> command(String service) {
    List<String> out = new ArrayList<>();
    for (Object o : list(service(service).get("command"), service + ".command")) {
      out.add(String.valueOf(o));
    }
    return out;
  }

  Map<String, String> environment(String service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object e = service(service).get("environment");
    if (e != null) {
      map(e, service + ".environment").forEach((k, v) -> env.put(k, String.valueOf(v)));
    }
    return env;
  }

  record Mount(String source, String target, boolean named) {}

  List<Mount> mounts(String service) {
    List<Mount> out = new ArrayList<>();
    for (Object o : list(service(service).get("volumes"), service + ".volumes")) {
      String[] parts = String.valueOf(o).split(":");
      boolean named = !parts[0].startsWith(".") && !parts[0].startsWith("/");
      out.add(new Mount(parts[0], parts[1], named));
    }
    return out;
  }

  /** The host file or directory a container path comes from (longest mount target that prefixes it). */
  Path hostPath(String service, String containerPath) {
    Mount best = null;
    for (Mount m : mounts(service)) {
      if (!m.named()
          && (containerPath.equals(m.target()) || containerPath.startsWith(m.target() + "/"))
          && (best == null || m.target().length() > best.target().length())) {
        best = m;
      }
    }
    if (best == null) {
      return null;
    }
    return deploy.resolve(best.source() + containerPath.substring(best.target().length())).normalize();
  }

  /** The configuration file a service's command names (a mounted file), parsed. */
  Map<String, Object> configOf(String service) throws IOException {
    for (String arg : command(service)) {
      String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : arg;
      if (value.endsWith(".yaml") || value.endsWith(".yml")) {
        Path host = hostPath(service, value);
        if (host == null) {
          throw new AssertionError(service + ": " + value + " is not mounted from this repository");
        }
        return map(yaml(host), host.toString());
      }
    }
    throw new AssertionError(service + ": no configuration file in its command " + command(service));
  }

  private static final Pattern ENDPOINT = Pattern.compile("(?:^|//)([A-Za-z0-9_.-]+):(\\d+)");

  record Endpoint(String host, int port) {}

  static Endpoint endpoint(String text) {
    Matcher m = ENDPOINT.matcher(text);
    if (!m.find()) {
      throw new AssertionError("not host:port: " + text);
    }
    return new Endpoint(m.group(1), Integer.parseInt(m.group(2)));
  }

  /** OTLP receiver endpoints of a collector-style config: protocol name to endpoint. */
  static Map<String, Endpoint> otlpReceiver(Object protocols) {
    Map<String, Endpoint> out = new LinkedHashMap<>();
    map(protocols, "protocols").forEach((proto, cfg) -> out.put(proto, endpoint(String.valueOf(at(cfg, "endpoint")))));
    return out;
  }

  /** Every port a service listens on inside its container, from its own configuration. */
  Set<Integer> listenPorts(String service) throws IOException {
    Set<Integer> ports = new LinkedHashSet<>();
    switch (service) {
      case "plant-hmi" -> {
        List<String> cmd = command(service);
        ports.add(Integer.parseInt(cmd.get(cmd.indexOf("--port") + 1)));
      }
      case "otel-collector", "jaeger" -> {
        Map<String, Object> config = configOf(service);
        otlpReceiver(at(config, "receivers", "otlp", "protocols")).values().forEach(e -> ports.add(e.port()));
        Object extensions = config.get("extensions");
        if (extensions != null) {
          for (Object ext : map(extensions, "extensions").values()) {
            for (String protocol : List.of("http", "grpc")) {
              Object ep = at(ext, protocol, "endpoint");
              if (ep != null) {
                ports.add(endpoint(String.valueOf(ep)).port());
              }
            }
          }
        }
      }
      case "tempo" -> {
        Map<String, Object> config = configOf(service);
        ports.add((Integer) at(config, "server", "http_listen_port"));
        otlpReceiver(at(config, "distributor", "receivers", "otlp", "protocols"))
            .values().forEach(e -> ports.add(e.port()));
      }
      case "grafana" -> ports.add(3000); // Grafana's default http_port; the compose file does not change it
      default -> throw new AssertionError("unknown service " + service + ": teach DeployFiles its ports");
    }
    return ports;
  }
}
