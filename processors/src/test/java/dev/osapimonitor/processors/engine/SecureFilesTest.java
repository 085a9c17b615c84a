package dev.osapimonitor.processors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may change what the engine obeys: the permission rules for policy files and the flags directory. */
class SecureFilesTest {

  @TempDir Path dir;

  private static Path mode(Path p, String perms) throws Exception {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    return p;
  }

  private static void sticky(Path p) throws Exception {
    Files.setAttribute(p, "unix:mode", 01777);
  }

  @Test
  void anOwnerOnlyFileInAnOwnerOnlyDirectoryIsAccepted() throws Exception {
    mode(dir, "rwx------");
    Path policy = mode(Files.writeString(dir.resolve("p.yaml"), "version: 1\n"), "rw-r--r--");
    assertThat(SecureFiles.problem(policy)).isNull();
  }

  @Test
  void aFileOthersCanWriteIsRefused() throws Exception {
    Path policy = mode(Files.writeString(dir.resolve("p.yaml"), "version: 1\n"), "rw-rw-r--");
    assertThat(SecureFiles.problem(policy)).contains("p.yaml is writable by group or others (rw-rw-r--)");
  }

  @Test
  void aWorldWritableStickyFlagsDirectoryIsRefused() throws Exception {
    Path flags = Files.createDirectory(dir.resolve("flags"));
    sticky(flags);
    assertThat(SecureFiles.problem(flags)).contains("flags is writable by group or others");
  }

  @Test
  void aDirectoryAboveThatOthersCanWriteIsRefusedUnlessItIsSticky() throws Exception {
    Path open = Files.createDirectory(dir.resolve("open"));
    Path inner = Files.createDirectory(open.resolve("inner"));
    mode(inner, "rwx------");
    Path policy = mode(Files.writeString(inner.resolve("p.yaml"), "version: 1\n"), "rw-------");
    mode(open, "rwxrwxrwx");
    assertThat(SecureFiles.problem(policy)).startsWith("a directory above it: ").contains("/open is writable");
    sticky(open); // like /tmp: other users cannot rename or delete what is not theirs
    assertThat(SecureFiles.problem(policy)).isNull();
  }

  @Test
  void symbolicLinksAreJudgedByWhatTheyLeadTo() throws Exception {
    // A Kubernetes ConfigMap: policy.yaml -> ..data/policy.yaml, ..data -> ..2026_12_03/
    Path version = Files.createDirectory(dir.resolve("..2026_12_03"));
    mode(Files.writeString(version.resolve("policy.yaml"), "version: 1\n"), "rw-r--r--");
    Files.createSymbolicLink(dir.resolve("..data"), version.getFileName());
    Path link = Files.createSymbolicLink(dir.resolve("policy.yaml"), dir.getFileSystem().getPath("..data", "policy.yaml"));
    assertThat(SecureFiles.problem(link)).isNull();

    Path open = Files.createDirectory(dir.resolve("open"));
    Path target = mode(Files.writeString(open.resolve("real.yaml"), "version: 1\n"), "rw-r--r--");
    mode(open, "rwxrwxrwx");
    Path linkToOpen = Files.createSymbolicLink(dir.resolve("via-link.yaml"), target);
    assertThat(SecureFiles.problem(linkToOpen)).contains("/open is writable by group or others");
  }
}
