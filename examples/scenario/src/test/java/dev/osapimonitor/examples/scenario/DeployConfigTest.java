package dev.osapimonitor.examples.scenario;

import static dev.osapimonitor.examples.scenario.DeployFiles.at;
import static dev.osapimonitor.examples.scenario.DeployFiles.list;
import static dev.osapimonitor.examples.scenario.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of deploy/otel without Docker: every file parses, everything compose mounts exists, every
 * address one component uses to reach another is a port that component listens on, Grafana's provisioning and
 * dashboard agree on data sources, and the agent configuration examples only use documented keys.
 * (ComposeStackE2E then runs the collector, Jaeger and the HMI the way compose starts them.)
 */
class DeployConfigTest {

  private final DeployFiles files;

  DeployConfigTest() throws IOException {
    files = new DeployFiles();
  }

  @Test
  void everyYamlAndJsonFileParses() throws IOException {
    List<Path> parsed = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(files.deploy)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
          assertThat(DeployFiles.yaml(p)).as(p.toString()).isInstanceOf(Map.class);
          parsed.add(p);
        }
      }
    }
    assertThat(parsed).extracting(p -> files.deploy.relativize(p).toString())
        .contains("docker-compose.yaml", "collector.yaml", "jaeger/jaeger-compose.yaml", "tempo/tempo.yaml",
            "grafana/provisioning/datasources/datasources.yaml", "grafana/provisioning/dashboards/dashboards.yaml",
            "grafana/dashboards/osapi-monitor.json", "agent/otel-declarative.yaml");
  }

  @Test
  void theServicesTheIssueNamesAreThereWithPinnedImages() {
    assertThat(files.services().keySet())
        .containsExactlyInAnyOrder("plant-hmi", "otel-collector", "jaeger", "tempo", "grafana");
    files.services().forEach((name, s) -> {
      String image = String.valueOf(at(s, "image"));
      assertThat(image).as(name + ".image").matches("[a-z0-9./-]+:[0-9][A-Za-z0-9._-]*");
    });
  }

  @Test
  void everyMountedFileExistsAndEveryNamedVolumeIsDeclared() {
    Set<String> declared = map(files.compose.getOrDefault("volumes", Map.of()), "volumes").keySet();
    for (String service : files.services().keySet()) {
      for (DeployFiles.Mount m : files.mounts(service)) {
        if (m.named()) {
          assertThat(declared).as(service + " volume " + m.source()).contains(m.source());
        } else {
          assertThat(files.deploy.resolve(m.source()).normalize())
              .as(service + " mounts " + m.source() + " (build the repository first: mvn -B -DskipTests install)")
              .exists();
        }
      }
    }
  }

  @Test
  void everyFileACommandOrVariableNamesIsMounted() {
    Map<String, List<String>> paths = new LinkedHashMap<>();
    for (String service : files.services().keySet()) {
      List<String> ps = new ArrayList<>();
      for (String arg : files.command(service)) {
        Matcher m = Pattern.compile("(/(?:opt|etc)/[^\\s,]+)").matcher(arg);
        while (m.find()) {
          ps.add(m.group(1));
        }
      }
      files.environment(service).forEach((k, v) -> {
        if (v.startsWith("/etc/") || v.startsWith("/opt/")) {
          ps.add(v);
        }
      });
      paths.put(service, ps);
    }
    assertThat(paths.get("plant-hmi"))
        .contains("/opt/osapi-monitor/osapi-monitor-javaagent.jar", "/opt/plant-hmi/plant-hmi.jar",
            "/etc/osapi-monitor/default.yaml");
    paths.forEach((service, ps) -> {
      for (String p : ps) {
        Path host = files.hostPath(service, p);
        assertThat(host).as(service + " uses " + p + " but nothing is mounted there").isNotNull();
        assertThat(host).as(service + ": " + p).exists();
      }
    });
    // The spool directory the HMI is told to use is on the named volume, so it survives a container restart.
    String spool = files.environment("plant-hmi").get("OTEL_INSTRUMENTATION_OSAPI_EXPORTER_SPOOL_DIR");
    assertThat(files.mounts("plant-hmi"))
        .anySatisfy(m -> {
          assertThat(m.named()).isTrue();
          assertThat(spool).startsWith(m.target() + "/");
        });
  }

  @Test
  void publishedPortsAreLoopbackOnlyAndListenedOn() throws IOException {
    for (String service : files.services().keySet()) {
      Set<Integer> listening = files.listenPorts(service);
      for (Object p : list(at(files.service(service), "ports"), service + ".ports")) {
        String[] parts = String.valueOf(p).split(":");
        assertThat(parts).as(service + " publishes " + p).hasSize(3);
        assertThat(parts[0]).as(service + " publishes " + p + " beyond loopback").isEqualTo("127.0.0.1");
        assertThat(listening).as(service + " publishes container port " + parts[2]).contains(Integer.parseInt(parts[2]));
      }
    }
  }

  @Test
  void servicesListenOnAllInterfacesInsideTheirContainers() throws IOException {
    // 127.0.0.1 inside a container is unreachable from the other containers of the compose network.
    for (String service : List.of("otel-collector", "jaeger")) {
      Map<String, Object> config = files.configOf(service);
      DeployFiles.otlpReceiver(at(config, "receivers", "otlp", "protocols"))
          .forEach((proto, e) -> assertThat(e.host()).as(service + " otlp " + proto).isEqualTo("0.0.0.0"));
    }
    DeployFiles.otlpReceiver(at(files.configOf("tempo"), "distributor", "receivers", "otlp", "protocols"))
        .forEach((proto, e) -> assertThat(e.host()).as("tempo otlp " + proto).isEqualTo("0.0.0.0"));
  }

  @Test
  void theAgentSendsToTheCollectorOverTheProtocolItListensWith() throws IOException {
    Map<String, String> env = files.environment("plant-hmi");
    DeployFiles.Endpoint target = DeployFiles.endpoint(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
    assertThat(target.host()).isEqualTo("otel-collector");
    assertThat(list(at(files.service("plant-hmi"), "depends_on"), "depends_on")).contains("otel-collector");
    Map<String, DeployFiles.Endpoint> receivers =
        DeployFiles.otlpReceiver(at(files.configOf("otel-collector"), "receivers", "otlp", "protocols"));
    String protocol = env.get("OTEL_EXPORTER_OTLP_PROTOCOL");
    assertThat(protocol).isEqualTo("grpc");
    assertThat(receivers.get("grpc").port()).isEqualTo(target.port());
    assertThat(env.get("OTEL_INSTRUMENTATION_OSAPI_POLICY")).isNotBlank();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theCollectorExportsToPortsJaegerAndTempoReceiveOn() throws IOException {
    Map<String, Object> collector = files.configOf("otel-collector");
    Map<String, Object> exporters = map(collector.get("exporters"), "exporters");
    List<Object> pipelineExporters = list(at(collector, "service", "pipelines", "traces", "exporters"), "exporters");
    assertThat(pipelineExporters).containsExactlyInAnyOrder("otlp/jaeger", "otlp/tempo");
    List<Object> dependsOn = list(at(files.service("otel-collector"), "depends_on"), "depends_on");
    for (Object name : pipelineExporters) {
      assertThat(exporters).containsKey((String) name);
      DeployFiles.Endpoint e = DeployFiles.endpoint(String.valueOf(at(exporters.get(name), "endpoint")));
      assertThat(files.services()).as(name + " sends to " + e.host()).containsKey(e.host());
      assertThat(dependsOn).contains(e.host());
      assertThat(files.listenPorts(e.host())).as(name + " port").contains(e.port());
      // A gRPC exporter must reach the backend's gRPC receiver, not its HTTP one.
      Map<String, Object> backend = files.configOf(e.host());
      Object protocols = e.host().equals("tempo")
          ? at(backend, "distributor", "receivers", "otlp", "protocols")
          : at(backend, "receivers", "otlp", "protocols");
      assertThat(DeployFiles.otlpReceiver(protocols).get("grpc").port()).as(String.valueOf(name)).isEqualTo(e.port());
    }
    // Every processor the pipeline names is configured, and tail sampling keeps what osapi-monitor marks.
    for (Object p : list(at(collector, "service", "pipelines", "traces", "processors"), "processors")) {
      assertThat(map(collector.get("processors"), "processors")).containsKey((String) p);
    }
    List<Object> policies = list(at(collector, "processors", "tail_sampling", "policies"), "policies");
    assertThat(policies).extracting(p -> String.valueOf(at(p, "string_attribute", "key")))
        .containsExactly("osapi.capture.kind", "osapi.audit.event");
  }

  @Test
  void grafanaDataSourcesPointAtListeningPortsAndTheDashboardUsesThem() throws IOException {
    Path datasourcesFile = files.hostPath("grafana", "/etc/grafana/provisioning/datasources/datasources.yaml");
    List<Object> datasources = list(at(DeployFiles.yaml(datasourcesFile), "datasources"), "datasources");
    Map<String, String> typeByUid = new LinkedHashMap<>();
    for (Object ds : datasources) {
      String uid = String.valueOf(at(ds, "uid"));
      String type = String.valueOf(at(ds, "type"));
      typeByUid.put(uid, type);
      DeployFiles.Endpoint e = DeployFiles.endpoint(String.valueOf(at(ds, "url")));
      assertThat(files.services()).as(uid + " url host").containsKey(e.host());
      assertThat(list(at(files.service("grafana"), "depends_on"), "depends_on")).contains(e.host());
      assertThat(files.listenPorts(e.host())).as(uid + " url port").contains(e.port());
    }
    assertThat(typeByUid).containsEntry("osapi-tempo", "tempo").containsEntry("osapi-jaeger", "jaeger");

    // The dashboards provider reads the directory compose mounts the dashboards into.
    Path providerFile = files.hostPath("grafana", "/etc/grafana/provisioning/dashboards/dashboards.yaml");
    String dashboardsPath =
        String.valueOf(at(list(at(DeployFiles.yaml(providerFile), "providers"), "providers").get(0), "options", "path"));
    Path dashboardsDir = files.hostPath("grafana", dashboardsPath);
    assertThat(dashboardsDir).isEqualTo(files.deploy.resolve("grafana/dashboards"));

    Map<String, Object> dashboard = map(DeployFiles.yaml(dashboardsDir.resolve("osapi-monitor.json")), "dashboard");
    Set<String> titles = new HashSet<>();
    for (Object panel : list(dashboard.get("panels"), "panels")) {
      titles.add(String.valueOf(at(panel, "title")));
      List<Object> refs = new ArrayList<>();
      refs.add(at(panel, "datasource"));
      list(at(panel, "targets"), "targets").forEach(t -> refs.add(at(t, "datasource")));
      for (Object ref : refs) {
        String uid = String.valueOf(at(ref, "uid"));
        assertThat(typeByUid).as(at(panel, "title") + " uses data source " + uid).containsKey(uid);
        assertThat(typeByUid.get(uid)).isEqualTo(String.valueOf(at(ref, "type")));
      }
    }
    assertThat(titles).anyMatch(t -> t.startsWith("Capture windows")).anyMatch(t -> t.startsWith("Triggers"))
        .anyMatch(t -> t.contains("by family"));
  }

  /** The span attributes the dashboard's TraceQL queries name. */
  static Set<String> dashboardAttributes(DeployFiles files) throws IOException {
    String json = Files.readString(files.deploy.resolve("grafana/dashboards/osapi-monitor.json"), StandardCharsets.UTF_8);
    Set<String> attrs = new TreeSet<>();
    Matcher m = Pattern.compile("span\\.([a-z_.]+[a-z_])").matcher(json);
    while (m.find()) {
      attrs.add(m.group(1));
    }
    return attrs;
  }

  @Test
  void agentConfigurationExamplesUseDocumentedKeysOnly() throws IOException {
    Set<String> documented = documentedKeys();
    Properties props = new Properties();
    try (var in = Files.newBufferedReader(files.deploy.resolve("agent/osapi-monitor.properties"))) {
      props.load(in);
    }
    for (String key : props.stringPropertyNames()) {
      if (key.startsWith("otel.instrumentation.osapi")) {
        assertThat(documented).as("osapi-monitor.properties: " + key).contains(key);
      }
    }
    // The env file is the properties file in environment form (plus JAVA_TOOL_OPTIONS to load the agent).
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(files.deploy.resolve("agent/osapi-monitor.env"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
      }
    }
    assertThat(env.get("JAVA_TOOL_OPTIONS")).startsWith("-javaagent:/opt/osapi-monitor/osapi-monitor-javaagent.jar");
    env.forEach((k, v) -> {
      if (!k.equals("JAVA_TOOL_OPTIONS")) {
        String property = props.stringPropertyNames().stream()
            .filter(p -> p.toUpperCase().replace('.', '_').replace('-', '_').equals(k)).findFirst().orElse(null);
        assertThat(property).as("osapi-monitor.env " + k + " has no counterpart in osapi-monitor.properties").isNotNull();
        assertThat(props.getProperty(property)).as(k).isEqualTo(v);
      }
    });
    // The compose service's osapi variables are documented keys too.
    files.environment("plant-hmi").keySet().stream().filter(k -> k.startsWith("OTEL_INSTRUMENTATION_OSAPI"))
        .forEach(k -> assertThat(documented.stream().map(d -> d.toUpperCase().replace('.', '_').replace('-', '_')))
            .as("compose plant-hmi " + k).contains(k));

    // The declarative example: the osapi node has only the keys docs/configuration.md shows.
    Object osapi = at(DeployFiles.yaml(files.deploy.resolve("agent/otel-declarative.yaml")),
        "instrumentation/development", "java", "osapi");
    assertThat(map(osapi, "osapi").keySet()).isSubsetOf("policy", "require_secure_files", "jmx");

    // The systemd drop-in loads the same agent jar and the properties file installed next to the policy.
    String unit = Files.readString(files.deploy.resolve("systemd/osapi-monitor.conf"), StandardCharsets.UTF_8);
    assertThat(unit).contains("[Service]")
        .contains("JAVA_TOOL_OPTIONS=-javaagent:/opt/osapi-monitor/osapi-monitor-javaagent.jar")
        .contains("-Dotel.javaagent.configuration-file=/etc/osapi-monitor/osapi-monitor.properties")
        .contains("install -m 0644 examples/policies/default.yaml deploy/otel/agent/osapi-monitor.properties");
    assertThat(props.getProperty("otel.instrumentation.osapi.policy")).isEqualTo("/etc/osapi-monitor/default.yaml");
  }

  private Set<String> documentedKeys() throws IOException {
    String doc = Files.readString(files.deploy.resolve("../../docs/configuration.md").normalize(), StandardCharsets.UTF_8);
    Set<String> keys = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `(otel\\.instrumentation\\.osapi[^`]*)` \\|").matcher(doc);
    while (m.find()) {
      keys.add(m.group(1));
    }
    assertThat(keys).hasSizeGreaterThan(10);
    return keys;
  }
}
