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
   * Returns a refusal reason, or {@code null} when the file is acceptable: not writable by group or others (the
   * directory a file is in is checked too, since whoever can write it can replace the file).
   */
  public static String problem(Path path) {
    String own = check(path);
    if (own != null) {
      return own;
    }
    Path dir = path.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(path)) {
      String parent = check(dir);
      if (parent != null) {
        return "its directory " + parent;
      }
    }
    return null;
  }

  private static String check(Path path) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
      boolean sticky = false;
      if (Files.isDirectory(path)) {
        // A world-writable sticky directory such as /tmp protects its entries from other users.
        Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        sticky = mode instanceof Integer && (((Integer) mode) & 01000) != 0;
      }
      if (!sticky
          && (perms.contains(PosixFilePermission.GROUP_WRITE)
              || perms.contains(PosixFilePermission.OTHERS_WRITE))) {
        return path + " is writable by group or others (" + PosixFilePermissions.toString(perms) + ")";
      }
      return null;
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
