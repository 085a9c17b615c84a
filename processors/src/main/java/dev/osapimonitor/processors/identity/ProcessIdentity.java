package dev.osapimonitor.processors.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who the monitored JVM is: pid, parent pid, executable, command line, owner and numeric ids, host, container. Read
 * once at start from {@link ProcessHandle} and, on Linux, {@code /proc/self}; values the OS does not expose are
 * {@code null} / -1. The command line here is raw: redact before exporting.
 */
public final class ProcessIdentity {

  private static final Pattern CONTAINER_ID = Pattern.compile("([0-9a-f]{64})");

  private final long pid;
  private final long parentPid;
  private final String executable;
  private final List<String> commandArgs;
  private final String mainClass;
  private final String userName;
  private final long realUid;
  private final long effectiveUid;
  private final long realGid;
  private final String hostName;
  private final String containerId;

  private ProcessIdentity(
      long pid, long parentPid, String executable, List<String> commandArgs, String mainClass, String userName,
      long realUid, long effectiveUid, long realGid, String hostName, String containerId) {
    this.pid = pid;
    this.parentPid = parentPid;
    this.executable = executable;
    this.commandArgs = commandArgs;
    this.mainClass = mainClass;
    this.userName = userName;
    this.realUid = realUid;
    this.effectiveUid = effectiveUid;
    this.realGid = realGid;
    this.hostName = hostName;
    this.containerId = containerId;
  }

  /** Reads the identity of this JVM. Never throws; what cannot be read is left unknown. */
  public static ProcessIdentity current() {
    ProcessHandle self = ProcessHandle.current();
    long pid = self.pid();
    long parent = self.parent().map(ProcessHandle::pid).orElse(-1L);
    ProcessHandle.Info info = self.info();
    String executable = info.command().orElse(null);
    List<String> args = readCmdline();
    if (args.isEmpty()) {
      if (executable != null) {
        args.add(executable);
      }
      info.arguments().ifPresent(a -> args.addAll(List.of(a)));
    }
    String command = System.getProperty("sun.java.command", "");
    String mainClass = command.isEmpty() ? "" : command.split(" ", 2)[0];
    String user = info.user().orElse(System.getProperty("user.name", ""));
    long[] uids = statusIds("Uid:");
    long[] gids = statusIds("Gid:");
    String host = firstLine(Paths.get("/proc/sys/kernel/hostname"));
    if (host == null) {
      host = System.getenv("HOSTNAME");
    }
    return new ProcessIdentity(
        pid, parent, executable, List.copyOf(args), mainClass, user, uids[0], uids[1], gids[0], host,
        readContainerId());
  }

  private static List<String> readCmdline() {
    List<String> args = new ArrayList<>();
    try {
      byte[] bytes = Files.readAllBytes(Paths.get("/proc/self/cmdline"));
      int start = 0;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == 0) {
          args.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      if (start < bytes.length) {
        args.add(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc not mounted
    }
    return args;
  }

  /** {@code [real, effective]} from a {@code /proc/self/status} line such as {@code Uid: 1000 1000 1000 1000}. */
  private static long[] statusIds(String prefix) {
    long[] ids = {-1, -1};
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.UTF_8)) {
        if (line.startsWith(prefix)) {
          String[] parts = line.substring(prefix.length()).trim().split("\\s+");
          if (parts.length >= 2) {
            ids[0] = Long.parseLong(parts[0]);
            ids[1] = Long.parseLong(parts[1]);
          }
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return ids;
  }

  private static String readContainerId() {
    for (String file : List.of("/proc/self/cgroup", "/proc/self/mountinfo")) {
      try {
        for (String line : Files.readAllLines(Paths.get(file), StandardCharsets.UTF_8)) {
          if (line.contains("docker") || line.contains("containerd") || line.contains("crio")
              || line.contains("libpod") || line.contains("kubepods")) {
            Matcher m = CONTAINER_ID.matcher(line);
            if (m.find()) {
              return m.group(1);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // not Linux, or not readable
      }
    }
    return null;
  }

  private static String firstLine(Path path) {
    try {
      List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
      return lines.isEmpty() ? null : lines.get(0).trim();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  public long pid() {
    return pid;
  }

  public long parentPid() {
    return parentPid;
  }

  public String executable() {
    return executable;
  }

  /** The raw command line, argv[0] first. Redact before exporting. */
  public List<String> commandArgs() {
    return commandArgs;
  }

  public String commandLine() {
    return String.join(" ", commandArgs);
  }

  public String mainClass() {
    return mainClass;
  }

  public String userName() {
    return userName;
  }

  public long realUid() {
    return realUid;
  }

  public long effectiveUid() {
    return effectiveUid;
  }

  public long realGid() {
    return realGid;
  }

  public String hostName() {
    return hostName;
  }

  public String containerId() {
    return containerId;
  }

  @Override
  public String toString() {
    return "ProcessIdentity{pid=" + pid + ", ppid=" + parentPid + ", user=" + userName + ", uid=" + realUid
        + ", euid=" + effectiveUid + ", host=" + hostName + ", container=" + containerId + "}";
  }
}
