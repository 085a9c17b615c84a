package dev.osapimonitor.processors.engine;

import dev.osapimonitor.bootstrap.OsApiOps;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The built-in mapping from an API call to MITRE ATT&CK technique ids (Enterprise {@code T1xxx}, ICS
 * {@code T08xx}), from the family, the operation and simple facts about the arguments. The table is documented in
 * {@code docs/attack-mapping.md}; a test checks that every row there is produced here. Rule tags that look like
 * technique ids are added by the engine.
 */
public final class AttackTags {

  /** The analytic every span serves, and its data component. */
  public static final String ANALYTIC = "AN1885";

  public static final String DATA_COMPONENT = "OS API Execution";

  private static final Set<String> UNIX_SHELLS =
      Set.of("sh", "bash", "dash", "zsh", "ksh", "csh", "tcsh", "fish", "ash", "busybox", "rbash", "mksh");
  private static final Set<String> INTERPRETERS =
      Set.of("python", "python2", "python3", "perl", "ruby", "php", "node", "nodejs", "lua", "tclsh", "wish", "awk",
          "gawk", "osascript");
  private static final Set<String> WINDOWS_SHELLS = Set.of("cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh",
      "pwsh.exe");
  private static final Set<String> REMOTE_JNDI_SCHEMES =
      Set.of("ldap", "ldaps", "rmi", "dns", "iiop", "iiopname", "corbaname", "nis", "nds", "http", "https");
  private static final Pattern CREDENTIAL_PATH =
      Pattern.compile(
          "(?i)(^/etc/(shadow|gshadow|sudoers)|/\\.ssh/(id_[^/]*|authorized_keys)$|\\.(pem|key|p12|pfx|jks|keystore)$"
              + "|/\\.aws/credentials$|/\\.netrc$|/\\.pgpass$|/\\.git-credentials$|/\\.docker/config\\.json$"
              + "|/\\.kube/config$|credential|secret|password)");
  private static final Pattern PASSWD = Pattern.compile("^/etc/(passwd|shadow|gshadow)$");
  private static final Pattern PERSISTENCE_CRON = Pattern.compile("^/(etc/cron|var/spool/cron|etc/anacrontab)");
  private static final Pattern PERSISTENCE_SYSTEMD =
      Pattern.compile("^/(etc/systemd/|lib/systemd/|usr/lib/systemd/|etc/init\\.d/|etc/rc\\.local)");
  private static final Pattern SHELL_PROFILE =
      Pattern.compile("(^/etc/(profile|bash\\.bashrc|environment)|/\\.(bashrc|bash_profile|profile|zshrc))");
  private static final Pattern LOGS = Pattern.compile("^/var/log/");
  private static final Pattern SECRET_ENV = Pattern.compile("(?i)(pass|secret|token|key|credential|auth)");
  private static final Set<Integer> ICS_PORTS = Set.of(102, 502, 2404, 20000, 44818, 4840, 47808, 1911, 18245);

  private AttackTags() {}

  /** The technique ids for a call. Never {@code null}; empty when no row applies. */
  static List<String> techniques(CallRecord r) {
    Set<String> ids = new LinkedHashSet<>();
    switch (r.op) {
      case OsApiOps.PROCESS_EXEC:
        ids.add("T1106"); // Native API
        ids.add("T0871"); // ICS: Execution through API
        String program = baseName(r.executable);
        if (UNIX_SHELLS.contains(program)) {
          ids.add("T1059");
          ids.add("T1059.004"); // Unix Shell
          ids.add("T0807"); // ICS: Command-Line Interface
        } else if (WINDOWS_SHELLS.contains(program)) {
          ids.add("T1059");
          ids.add(program.startsWith("cmd") ? "T1059.003" : "T1059.001");
          ids.add("T0807");
        } else if (INTERPRETERS.contains(program.replaceAll("[0-9.]+$", "")) || INTERPRETERS.contains(program)) {
          ids.add("T1059");
          ids.add("T0853"); // ICS: Scripting
        }
        break;
      case OsApiOps.PROCESS_EXIT:
      case OsApiOps.PROCESS_HALT:
        ids.add("T1489"); // Service Stop
        ids.add("T0881"); // ICS: Service Stop
        break;
      case OsApiOps.FILE_OPEN:
        if (r.path != null) {
          boolean write = (r.mode & (OsApiOps.MODE_WRITE | OsApiOps.MODE_APPEND)) != 0;
          if (!write && CREDENTIAL_PATH.matcher(r.path).find()) {
            ids.add("T1552.001"); // Credentials In Files
            if (PASSWD.matcher(r.path).find()) {
              ids.add("T1003.008"); // /etc/passwd and /etc/shadow
            }
          }
          if (write) {
            persistence(r.path, ids);
          }
        }
        break;
      case OsApiOps.FILE_CREATE:
      case OsApiOps.FILE_RENAME:
      case OsApiOps.FILE_COPY:
      case OsApiOps.FILE_LINK:
        persistence(r.path, ids);
        persistence(r.targetPath, ids);
        break;
      case OsApiOps.FILE_DELETE:
        if (r.path != null && LOGS.matcher(r.path).find()) {
          ids.add("T1070.002"); // Clear Linux or Mac System Logs
        } else {
          ids.add("T1070.004"); // File Deletion
        }
        break;
      case OsApiOps.FILE_CHMOD:
      case OsApiOps.FILE_CHOWN:
        ids.add("T1222.002"); // Linux File and Directory Permissions Modification
        break;
      case OsApiOps.NETWORK_CONNECT:
      case OsApiOps.NETWORK_SEND:
        if (r.port > 0 && ICS_PORTS.contains(r.port)) {
          ids.add("T0869"); // ICS: Standard Application Layer Protocol
        } else if (!isLocal(r.address)) {
          ids.add("T1071"); // Application Layer Protocol
        }
        break;
      case OsApiOps.NETWORK_BIND:
        if (r.listen) {
          ids.add("T1205"); // Traffic Signaling: a new listener may be a backdoor
        }
        break;
      case OsApiOps.NATIVE_LOAD:
        ids.add("T1106"); // Native API
        ids.add("T1129"); // Shared Modules
        ids.add("T0834"); // ICS: Native API
        break;
      case OsApiOps.ENV_READ:
        if (r.name == null) {
          ids.add("T1082"); // System Information Discovery (the whole environment)
        } else if (SECRET_ENV.matcher(r.name).find()) {
          ids.add("T1552"); // Unsecured Credentials
        }
        break;
      case OsApiOps.JNDI_LOOKUP:
        String scheme = scheme(r.name);
        if (scheme != null && REMOTE_JNDI_SCHEMES.contains(scheme)) {
          ids.add("T1190"); // Exploit Public-Facing Application (JNDI injection)
          ids.add("T0819"); // ICS: Exploit Public-Facing Application
        }
        break;
      case OsApiOps.DESERIALIZATION_READ_OBJECT:
        ids.add("T1190");
        ids.add("T0819");
        break;
      case OsApiOps.CODE_EVAL:
        ids.add("T1059");
        ids.add("T0853"); // ICS: Scripting
        if (r.name != null && r.name.toLowerCase(Locale.ROOT).matches(".*(js|javascript|nashorn|graal).*")) {
          ids.add("T1059.007");
        }
        break;
      case OsApiOps.CODE_DEFINE_CLASS:
        ids.add("T1620"); // Reflective Code Loading
        break;
      case OsApiOps.CODE_ATTACH:
      case OsApiOps.CODE_LOAD_AGENT:
        ids.add("T1055"); // Process Injection
        break;
      default:
        break;
    }
    return new ArrayList<>(ids);
  }

  private static void persistence(String path, Set<String> ids) {
    if (path == null) {
      return;
    }
    if (PERSISTENCE_CRON.matcher(path).find()) {
      ids.add("T1053.003"); // Cron
    } else if (PERSISTENCE_SYSTEMD.matcher(path).find()) {
      ids.add("T1543.002"); // Systemd Service
    } else if (SHELL_PROFILE.matcher(path).find()) {
      ids.add("T1546.004"); // Unix Shell Configuration Modification
    }
  }

  static String scheme(String name) {
    if (name == null) {
      return null;
    }
    int colon = name.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    String s = name.substring(0, colon).toLowerCase(Locale.ROOT);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
        return null;
      }
    }
    return s;
  }

  private static boolean isLocal(String address) {
    if (address == null) {
      return false;
    }
    return address.startsWith("127.")
        || address.equals("0:0:0:0:0:0:0:1")
        || address.equals("::1")
        || address.startsWith("10.")
        || address.startsWith("192.168.")
        || address.matches("^172\\.(1[6-9]|2[0-9]|3[01])\\..*");
  }

  static String baseName(String executable) {
    if (executable == null) {
      return "";
    }
    int slash = Math.max(executable.lastIndexOf('/'), executable.lastIndexOf('\\'));
    return (slash < 0 ? executable : executable.substring(slash + 1)).toLowerCase(Locale.ROOT);
  }

  /** True for rule tags that are technique ids ({@code T1059}, {@code T1059.004}, {@code T0807}). */
  static boolean isTechniqueId(String tag) {
    return tag.matches("T[0-9]{4}(\\.[0-9]{3})?");
  }
}
