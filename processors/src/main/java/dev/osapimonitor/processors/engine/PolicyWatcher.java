package dev.osapimonitor.processors.engine;

import dev.osapimonitor.processors.policy.Policy;
import dev.osapimonitor.processors.policy.PolicyException;
import dev.osapimonitor.processors.policy.PolicyParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Loads the policy file and reloads it when it changes (polled: modification time, size and file key). A new
 * policy is validated in full before it replaces the one in force; a rejected one is audited and the last good
 * policy stays. At start, a missing or invalid policy leaves capture off — the JVM always starts.
 */
public final class PolicyWatcher {

  /** How a watched file becomes a policy: a policy file, or the policy node of a declarative configuration. */
  @FunctionalInterface
  public interface Loader {
    Policy load(Path file) throws PolicyException;
  }

  private final OsApiEngine engine;
  private final Path file;
  private final boolean requireSecure;
  private final Loader loader;
  private Object lastKey;
  private String lastProblem;

  public PolicyWatcher(OsApiEngine engine, Path file, boolean requireSecure) {
    this(engine, file, requireSecure, PolicyParser::parseFile);
  }

  public PolicyWatcher(OsApiEngine engine, Path file, boolean requireSecure, Loader loader) {
    this.engine = engine;
    this.file = file;
    this.requireSecure = requireSecure;
    this.loader = loader;
  }

  public Path file() {
    return file;
  }

  /** Loads the policy at start. Returns true when a policy is in force. */
  public synchronized boolean loadInitial() {
    lastKey = key();
    return load("policy.load", true);
  }

  /** Reloads when the file changed since the last look. Called by the scheduler. */
  public synchronized void poll() {
    Object key = key();
    if (Objects.equals(key, lastKey)) {
      return;
    }
    lastKey = key;
    load("policy.reload", false);
  }

  private boolean load(String event, boolean atStartup) {
    String actor = "file-owner:" + SecureFiles.owner(file);
    try {
      if (requireSecure) {
        String problem = SecureFiles.problem(file);
        if (problem != null) {
          throw new PolicyException(
              file.toString(), 0, "",
              "refused: " + problem + "; a policy must be writable by its owner only "
                  + "(or set otel.instrumentation.osapi.require-secure-files=false)");
        }
      }
      Policy policy = loader.load(file);
      if (!atStartup && policy.sha256().equals(engine.policy().sha256())) {
        return true; // touched, not changed
      }
      engine.applyPolicy(policy, event, actor);
      lastProblem = null;
      return true;
    } catch (PolicyException e) {
      // Report a persistent problem once, not at every poll.
      if (!e.getMessage().equals(lastProblem)) {
        engine.rejectPolicy(e, actor, atStartup);
        lastProblem = e.getMessage();
      }
      return false;
    }
  }

  private Object key() {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + a.fileKey();
    } catch (NoSuchFileException e) {
      return "missing";
    } catch (IOException e) {
      return "unreadable:" + e.getMessage();
    }
  }
}
