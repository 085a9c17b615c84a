package dev.osapimonitor.processors.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osapimonitor.bootstrap.OsApiOps;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flags raised and lowered from files and JMX; policy reloads; refusal of files others can write. */
class ControlSurfaceTest {

  @TempDir Path dir;

  private static String flagsPolicy(Path flags) {
    return "version: 1\nsettings:\n  flags_dir: " + flags + "\n";
  }

  @Test
  void aFlagFileRaisesAFlagAndRemovingItLowersIt() throws Exception {
    Path flags = Files.createDirectory(dir.resolve("flags"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    try (EngineHarness h = new EngineHarness(flagsPolicy(flags))) {
      FlagDirectory directory = new FlagDirectory(h.engine, true);
      Files.writeString(flags.resolve("inc-42.flag"), "reason: suspicious logins\nticket: INC-42\nttl: 1h\n");
      directory.poll();
      h.call(OsApiOps.FILE_OPEN, "/etc/hostname", null, OsApiOps.MODE_READ);
      assertThat(h.apiSpans()).hasSize(1);
      SpanData raised = h.named("osapi.audit flag.raise").get(0);
      assertThat(raised.getAttributes().get(AuditLog.FLAG)).isEqualTo("inc-42");
      assertThat(raised.getAttributes().get(AuditLog.TICKET)).isEqualTo("INC-42");
      assertThat(raised.getAttributes().get(AuditLog.ACTOR)).isEqualTo("file-owner:" + System.getProperty("user.name"));
      assertThat(raised.getAttributes().get(AuditLog.FLAG_SOURCE)).isEqualTo("file:" + flags.resolve("inc-42.flag"));

      Files.delete(flags.resolve("inc-42.flag"));
      directory.poll();
      assertThat(h.auditEvents()).containsSubsequence("flag.raise", "flag.lower");
      h.call(OsApiOps.FILE_OPEN, "/etc/hostname", null, OsApiOps.MODE_READ);
      assertThat(h.apiSpans()).hasSize(1);
    }
  }

  @Test
  void aFlagFileTtlCountsFromTheFileAndExpires() throws Exception {
    Path flags = Files.createDirectory(dir.resolve("flags"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    try (EngineHarness h = new EngineHarness(flagsPolicy(flags))) {
      FlagDirectory directory = new FlagDirectory(h.engine, true);
      Path stale = flags.resolve("old.flag");
      Files.writeString(stale, "reason: last week\nttl: 1h\n");
      Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(7200)));
      Path fresh = flags.resolve("short.flag");
      Files.writeString(fresh, "reason: quick look\nttl: 1s\n");
      directory.poll();
      assertThat(h.auditEvents()).contains("flag.expired_on_load", "flag.raise");
      Thread.sleep(1100);
      h.engine.tick();
      assertThat(h.auditEvents()).contains("flag.expire");
      assertThat(h.engine.activeConditions()).isEmpty();
    }
  }

  @Test
  void aDirectoryOrFileOthersCanWriteIsRefusedAndAudited() throws Exception {
    Path flags = Files.createDirectory(dir.resolve("open-flags"));
    Files.setPosixFilePermissions(flags, PosixFilePermissions.fromString("rwxrwxrwx"));
    try (EngineHarness h = new EngineHarness(flagsPolicy(flags))) {
      Files.writeString(flags.resolve("x.flag"), "reason: r\nttl: 1h\n");
      new FlagDirectory(h.engine, true).poll();
      assertThat(h.auditEvents()).contains("flags.refused").doesNotContain("flag.raise");
      SpanData refused = h.named("osapi.audit flags.refused").get(0);
      assertThat(refused.getAttributes().get(AuditLog.ERROR)).contains("writable by group or others");
    }
    Path ok = Files.createDirectory(dir.resolve("ok-flags"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    try (EngineHarness h = new EngineHarness(flagsPolicy(ok))) {
      Path file = ok.resolve("y.flag");
      Files.writeString(file, "reason: r\nttl: 1h\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
      new FlagDirectory(h.engine, true).poll();
      assertThat(h.auditEvents()).contains("flag.rejected").doesNotContain("flag.raise");
    }
  }

  @Test
  void aMalformedFlagFileIsRejectedWithFileLineAndKey() throws Exception {
    Path flags = Files.createDirectory(dir.resolve("flags"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    try (EngineHarness h = new EngineHarness(flagsPolicy(flags))) {
      Files.writeString(flags.resolve("bad.flag"), "reason: r\nttl: forever\n");
      new FlagDirectory(h.engine, true).poll();
      SpanData rejected = h.named("osapi.audit flag.rejected").get(0);
      assertThat(rejected.getAttributes().get(AuditLog.ERROR))
          .isEqualTo(flags.resolve("bad.flag") + ":2: ttl: expected a duration like 30s, 15m or 4h, found 'forever'");
    }
  }

  @Test
  void jmxRaiseLowerAndListAreAudited() throws Exception {
    try (EngineHarness h = new EngineHarness("version: 1\n")) {
      assertThat(FlagControl.register(h.engine)).isTrue();
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName name = new ObjectName(FlagControl.OBJECT_NAME);
      Object raised =
          server.invoke(
              name,
              "raise",
              new Object[] {"jmx-flag", "operator looks closer", "CHG-7", "30m", "file,process"},
              new String[] {String.class.getName(), String.class.getName(), String.class.getName(),
                  String.class.getName(), String.class.getName()});
      assertThat(String.valueOf(raised)).startsWith("flag jmx-flag (jmx, until ");
      String[] list = (String[]) server.invoke(name, "list", new Object[0], new String[0]);
      assertThat(list).hasSize(1);
      assertThat(list[0]).contains("operator looks closer").contains("[CHG-7]");
      h.call(OsApiOps.FILE_OPEN, "/etc/hostname", null, OsApiOps.MODE_READ);
      h.call(OsApiOps.NETWORK_CONNECT, new java.net.InetSocketAddress("127.0.0.1", 9), null, 0);
      assertThat(h.apiSpans()).extracting(SpanData::getName).containsExactly("file.open");
      SpanData audit = h.named("osapi.audit flag.raise").get(0);
      assertThat(audit.getAttributes().get(AuditLog.ACTOR)).isEqualTo("jmx:local");
      assertThat(audit.getAttributes().get(AuditLog.REASON)).isEqualTo("operator looks closer");
      Object lowered =
          server.invoke(name, "lower", new Object[] {"jmx-flag", "done"},
              new String[] {String.class.getName(), String.class.getName()});
      assertThat(lowered).isEqualTo(1);
      assertThat(h.auditEvents()).containsSubsequence("flag.raise", "flag.lower");
      assertThat(server.getAttribute(name, "PolicySha256")).isEqualTo(h.engine.policy().sha256());
    }
  }

  @Test
  void jmxRejectsBadInputWithAReason() throws Exception {
    try (EngineHarness h = new EngineHarness("version: 1\n")) {
      FlagControl control = new FlagControl(h.engine);
      assertThatThrownBy(() -> control.raise("x y", "r", "", "1h", "")).hasMessageContaining("invalid flag name");
      assertThatThrownBy(() -> control.raise("x", " ", "", "1h", "")).hasMessage("a reason is required");
      assertThatThrownBy(() -> control.raise("x", "r", "", "forever", ""))
          .hasMessage("ttl must be a duration like 30m or 4h (at most 366d), got 'forever'");
      assertThatThrownBy(() -> control.raise("x", "r", "", "1h", "disk")).hasMessage("unknown family 'disk'");
      assertThat(h.auditEvents()).doesNotContain("flag.raise");
    }
  }

  @Test
  void aReloadKeepsTheLastGoodPolicyAndAuditsBoth() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, "version: 1\n");
    try (EngineHarness h = new EngineHarness("version: 1\n")) {
      PolicyWatcher watcher = new PolicyWatcher(h.engine, file, true);
      assertThat(watcher.loadInitial()).isTrue();
      String good = h.engine.policy().sha256();
      Files.writeString(file, "version: 1\nflags: [{name: f, reason: r, owner: o, ttl: oops}]\n");
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
      watcher.poll();
      assertThat(h.engine.policy().sha256()).isEqualTo(good);
      SpanData rejected = h.named("osapi.audit policy.rejected").get(0);
      assertThat(rejected.getAttributes().get(AuditLog.ERROR))
          .isEqualTo(file + ":2: flags[0].ttl: expected a duration like 30s, 15m or 4h, found 'oops'");
      Files.writeString(file, "version: 1\nflags: [{name: f, reason: r, owner: o, ttl: 1h}]\n",
          StandardCharsets.UTF_8);
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
      watcher.poll();
      assertThat(h.engine.policy().sha256()).isNotEqualTo(good);
      SpanData reload = h.named("osapi.audit policy.reload").get(0);
      assertThat(reload.getAttributes().get(AuditLog.PREVIOUS_SHA256)).isEqualTo(good);
      assertThat(h.auditEvents()).containsSubsequence("policy.rejected", "policy.reload", "flag.raise");
    }
  }

  @Test
  void aPolicyFileOthersCanWriteIsRefused() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, "version: 1\nflags: [{name: f, reason: r, owner: o, ttl: 1h}]\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    try (EngineHarness h = new EngineHarness("version: 1\n")) {
      assertThat(new PolicyWatcher(h.engine, file, true).loadInitial()).isFalse();
      SpanData rejected = h.named("osapi.audit policy.rejected").get(0);
      assertThat(rejected.getAttributes().get(AuditLog.ERROR)).contains("writable by group or others (rw-rw-rw-)");
      assertThat(h.engine.activeConditions()).isEmpty();
    }
  }

  @Test
  void aFlagFileForOtherUsersJvmsIsNotRaisedHereAndSaysSo() throws Exception {
    Path flags = Files.createDirectory(dir.resolve("flags"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    try (EngineHarness h = new EngineHarness(flagsPolicy(flags))) {
      FlagDirectory directory = new FlagDirectory(h.engine, true);
      Files.writeString(flags.resolve("historian-only.flag"),
          "reason: look at the historian\nttl: 1h\nscope: {users: [svc-historian-nobody]}\n");
      Files.writeString(flags.resolve("this-jvm.flag"),
          "reason: look here\nttl: 1h\nscope: {users: [\"" + System.getProperty("user.name") + "\"]}\n");
      directory.poll();
      assertThat(h.auditEvents()).contains("flag.not_applicable", "flag.raise");
      assertThat(h.engine.activeConditions()).extracting(Condition::name).containsExactly("this-jvm");
      assertThat(h.named("osapi.audit flag.not_applicable").get(0).getAttributes().get(AuditLog.FLAG))
          .isEqualTo("historian-only");
    }
  }

  @Test
  void auditTextFromFlagFilesIsSanitisedAndBounded() throws Exception {
    Path flags = Files.createDirectory(dir.resolve("flags"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    try (EngineHarness h = new EngineHarness(flagsPolicy(flags))) {
      FlagDirectory directory = new FlagDirectory(h.engine, true);
      String longReason = "x".repeat(5000);
      Files.writeString(flags.resolve("noisy.flag"),
          "reason: \"first line\\nosapi-monitor audit: flag.lower: forged\"\nticket: " + longReason + "\nttl: 1h\n");
      directory.poll();
      SpanData raised = h.named("osapi.audit flag.raise").get(0);
      assertThat(raised.getAttributes().get(AuditLog.REASON)).doesNotContain("\n").contains("\\x0a");
      assertThat(raised.getAttributes().get(AuditLog.TICKET).length()).isLessThan(1100);
    }
  }
}
