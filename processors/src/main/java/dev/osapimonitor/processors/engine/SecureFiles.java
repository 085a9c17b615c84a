package dev.osapimonitor.processors.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Who may change what the engine obeys. A policy file or flags directory that other users can write would let them
 * switch capture off (or flood it) unnoticed, so such files are refused unless
 * {@code otel.instrumentation.osapi.require-secure-files=false}.
 */
public final class SecureFiles {

  private SecureFiles() {}

  /**
   * Returns a refusal reason, or {@code null} when the file or directory is acceptable:
   *
   * <ul>
   *   <li>it is not writable by group or others — also not when it is a sticky directory: in a world-writable
   *       flags directory anyone could raise flags;
   *   <li>no directory above it is writable by group or others, unless that directory is sticky (like
   *       {@code /tmp}, where entries are protected from other users): whoever can write a directory above it can
   *       replace it;
   *   <li>when it is reached through symbolic links (a Kubernetes ConfigMap, a configuration-management link),
   *       the same holds for the directories of the path as given and of what it resolves to; the link's own
   *       permission bits mean nothing and are not looked at.
   * </ul>
   */
  public static String problem(Path path) {
    Path given = path.toAbsolutePath().normalize();
    Path real;
    try {
      real = given.toRealPath();
    } catch (IOException e) {
      return null; // reading it will report that it is missing
    }
    String own = writable(real, false);
    if (own != null) {
      return own;
    }
    String above = ancestors(real);
    if (above == null && !real.equals(given)) {
      above = ancestors(given);
    }
    return above == null ? null : "a directory above it: " + above;
  }

  private static String ancestors(Path path) {
    for (Path dir = path.getParent(); dir != null; dir = dir.getParent()) {
      String problem = writable(dir, true);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String writable(Path path, boolean stickyProtects) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
      if (!perms.contains(PosixFilePermission.GROUP_WRITE) && !perms.contains(PosixFilePermission.OTHERS_WRITE)) {
        return null;
      }
      if (stickyProtects && Files.isDirectory(path)) {
        Object mode = Files.getAttribute(path, "unix:mode");
        if (mode instanceof Integer && (((Integer) mode) & 01000) != 0) {
          return null;
        }
      }
      return path + " is writable by group or others (" + PosixFilePermissions.toString(perms) + ")";
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return null; // not a POSIX file system: nothing to check
    } catch (IOException e) {
      return null; // reading the file will report it
    }
  }

  /** The owner of a file, for audit events ("who changed the policy"); "unknown" when not available. */
  public static String owner(Path path) {
    try {
      return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
