package dev.osapimonitor.processors.policy;

import dev.osapimonitor.processors.match.Glob;
import java.util.List;

/**
 * Which calls a flag or window covers: a set of operations (from {@code families}), and whether it applies to this
 * JVM at all ({@code users}: the OS user; {@code processes}: globs on this JVM's command line or main class).
 */
public record Coverage(long opMask, List<String> families, List<Glob> users, List<Glob> processes) {

  /** Whether the flag applies to a JVM run by {@code user} with the given command line / main class. */
  public boolean appliesTo(String user, String commandLine, String mainClass) {
    if (!users.isEmpty() && users.stream().noneMatch(g -> g.matches(user))) {
      return false;
    }
    return processes.isEmpty()
        || processes.stream().anyMatch(g -> g.matches(commandLine) || g.matches(mainClass));
  }
}
