package dev.osapimonitor.processors.engine;

import dev.osapimonitor.processors.policy.FlagSpec;
import dev.osapimonitor.processors.policy.PolicyException;
import dev.osapimonitor.processors.policy.PolicyParser;
import io.opentelemetry.api.common.Attributes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Flags raised by dropping a file into the policy's {@code settings.flags_dir}: {@code <name>.flag}, a small YAML
 * mapping ({@code reason}, {@code ttl} or {@code expires}, optional {@code ticket}, {@code owner}, {@code scope}).
 * Removing the file lowers the flag. A TTL counts from the file's modification time, so restarting the JVM does not
 * extend it. The file's owner is the audited actor. A directory or file that other users can write is refused.
 */
public final class FlagDirectory {

  static final String SUFFIX = ".flag";
  /** Largest flag file read. */
  static final int MAX_FILE_BYTES = 64 * 1024;

  private final OsApiEngine engine;
  private final boolean requireSecure;
  private Path dir;
  private final Map<Path, String> seen = new HashMap<>();
  private String lastDirProblem;

  public FlagDirectory(OsApiEngine engine, boolean requireSecure) {
    this.engine = engine;
    this.requireSecure = requireSecure;
  }

  /** Scans the directory named by the policy in force; raises, changes and lowers flags to match it. */
  public synchronized void poll() {
    Path configured = engine.policy().settings().flagsDir();
    if (configured == null || !configured.equals(dir)) {
      if (dir != null) {
        for (Path gone : new HashSet<>(seen.keySet())) {
          lower(gone, "the policy no longer names this flags directory");
        }
      }
      dir = configured;
      lastDirProblem = null;
    }
    if (dir == null) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      reportDir("flags.unavailable", "flags directory " + dir + " does not exist: no flags can be raised by file");
      lowerAll("the flags directory is missing");
      return;
    }
    if (requireSecure) {
      String problem = SecureFiles.problem(dir);
      if (problem != null) {
        reportDir("flags.refused", "refused flags directory: " + problem);
        lowerAll("the flags directory became writable by other users");
        return;
      }
    }
    lastDirProblem = null;
    Set<Path> present = new HashSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path file : files) {
        present.add(file);
        consider(file);
      }
    } catch (IOException e) {
      reportDir("flags.unavailable", "cannot list flags directory " + dir + ": " + e.getMessage());
      return;
    }
    for (Path gone : new HashSet<>(seen.keySet())) {
      if (!present.contains(gone)) {
        lower(gone, "flag file removed");
      }
    }
  }

  private void consider(Path file) {
    String key;
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
      key = attributes.lastModifiedTime().toMillis() + ":" + attributes.size();
    } catch (IOException e) {
      return; // vanished meanwhile
    }
    if (key.equals(seen.get(file))) {
      return;
    }
    boolean known = seen.containsKey(file);
    seen.put(file, key);
    if (known) {
      engine.lowerFlagsFromSource(source(file), "file-owner:" + SecureFiles.owner(file), "flag file changed");
    }
    String owner = SecureFiles.owner(file);
    String fileName = file.getFileName().toString();
    String name = fileName.substring(0, fileName.length() - SUFFIX.length());
    try {
      if (requireSecure) {
        String problem = SecureFiles.problem(file);
        if (problem != null) {
          throw new PolicyException(file.toString(), 0, "", "refused: " + problem);
        }
      }
      if (attributes.size() > MAX_FILE_BYTES) {
        throw new PolicyException(file.toString(), 0, "", "flag file larger than " + MAX_FILE_BYTES + " bytes");
      }
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      FlagSpec spec = PolicyParser.parseFlagFile(text, file.toString(), name, owner);
      Instant written = attributes.lastModifiedTime().toInstant();
      Instant expires =
          spec.never() ? null : spec.expires() != null ? spec.expires() : written.plus(spec.ttl());
      if (expires != null && !engine.clock().now().isBefore(expires)) {
        engine
            .audit()
            .emit(
                "flag.expired_on_load",
                Attributes.of(AuditLog.FLAG, name, AuditLog.ACTOR, "file-owner:" + owner,
                    AuditLog.FLAG_EXPIRES, expires.toString(), AuditLog.FLAG_SOURCE, source(file)),
                "flag file " + file + " has already expired (" + expires + ")",
                false);
        return;
      }
      if (!engine.registry().appliesHere(spec.coverage())) {
        // One flags directory may serve several JVMs: this flag is for other users' or programs' JVMs.
        engine
            .audit()
            .emit(
                "flag.not_applicable",
                Attributes.of(AuditLog.FLAG, name, AuditLog.ACTOR, "file-owner:" + owner,
                    AuditLog.FLAG_SOURCE, source(file)),
                "flag file " + file + ": its scope.users/scope.processes do not cover this JVM",
                false);
        return;
      }
      engine.raiseFlag(
          name, spec.reason(), spec.owner(), spec.ticket(), expires, spec.coverage().opMask(), source(file),
          "file-owner:" + owner);
    } catch (PolicyException | IOException e) {
      engine
          .audit()
          .emit(
              "flag.rejected",
              Attributes.of(AuditLog.FLAG, name, AuditLog.ACTOR, "file-owner:" + owner, AuditLog.ERROR,
                  e.getMessage(), AuditLog.FLAG_SOURCE, source(file)),
              e.getMessage(),
              true);
    }
  }

  private void lower(Path file, String why) {
    seen.remove(file);
    engine.lowerFlagsFromSource(source(file), "file-owner:" + SecureFiles.owner(file), why);
  }

  private void lowerAll(String why) {
    for (Path file : new HashSet<>(seen.keySet())) {
      lower(file, why);
    }
  }

  private void reportDir(String event, String problem) {
    if (!problem.equals(lastDirProblem)) {
      lastDirProblem = problem;
      engine
          .audit()
          .emit(event, Attributes.of(AuditLog.ERROR, problem, AuditLog.ACTOR, "scheduler"), problem,
              event.equals("flags.refused"));
    }
  }

  static String source(Path file) {
    return "file:" + file;
  }
}
