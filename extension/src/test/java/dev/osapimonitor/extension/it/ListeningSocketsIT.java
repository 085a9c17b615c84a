package dev.osapimonitor.extension.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.osapimonitor.extension.it.ChildJvm.Agent;
import dev.osapimonitor.extension.it.apps.ControlledWorkload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extension opens no listening socket: with the default policy, JMX flag control on (the default) and a flags
 * directory, the application's process has the same listening TCP sockets and bound UDP sockets as without the
 * agent — none, for this workload. Read from /proc: the process's socket inodes against the kernel's tables.
 */
class ListeningSocketsIT {

  @TempDir Path dir;

  /** "tcp 127.0.0.1:4317" for every listening TCP or bound UDP socket of the process. */
  static Set<String> listening(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Paths.get("/proc", String.valueOf(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    Set<String> found = new TreeSet<>();
    for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
      Path file = Paths.get("/proc", String.valueOf(pid), "net", table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || f[0].equals("sl")) {
          continue;
        }
        boolean listens = table.startsWith("tcp") ? f[3].equals("0A") : true;
        if (listens && inodes.contains(f[9])) {
          found.add(table + " " + f[1]);
        }
      }
    }
    return found;
  }

  private Set<String> socketsOf(ChildJvm child, String name) throws Exception {
    Path work = Files.createDirectory(dir.resolve(name));
    Process p = child.args(work.toString()).start(dir.resolve(name + ".out"), dir.resolve(name + ".err"));
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(dir.resolve(name + ".out")).contains("ready"));
      Thread.sleep(2000); // the agent's and extension's start-up work is done
      return listening(p.pid());
    } finally {
      Files.writeString(work.resolve("stop"), "");
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void theProbeSeesAListeningSocket() throws Exception {
    try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String port = String.format("%04X", server.getLocalPort());
      assertThat(listening(ProcessHandle.current().pid())).anyMatch(s -> s.endsWith(":" + port));
    }
  }

  @Test
  void theMonitoredProcessListensOnNothingMoreThanTheBareOne() throws Exception {
    Set<String> bare = socketsOf(ChildJvm.of(ControlledWorkload.class).agent(Agent.NONE), "bare");
    Path flags = Files.createDirectory(dir.resolve("flags"));
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, Files.readString(Paths.get(System.getProperty("osapi.it.policies"), "default.yaml"))
        .replace("/var/lib/osapi-monitor/flags", flags.toString()));
    Set<String> monitored;
    try (GrpcOtlpReceiver receiver = new GrpcOtlpReceiver()) {
      monitored = socketsOf(ChildJvm.of(ControlledWorkload.class).policy(policy)
          .property("otel.instrumentation.osapi.jmx.enabled", "true").exportTo(receiver), "monitored");
    }
    assertThat(bare).isEmpty();
    assertThat(monitored).as("listening sockets under the agent").isEqualTo(bare);
  }
}
