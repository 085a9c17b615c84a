package dev.osapimonitor.processors.engine;

import dev.osapimonitor.processors.policy.Redaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it becomes an attribute: command lines and arguments, paths, JNDI names, URLs.
 * The built-in rules (documented in {@code docs/security.md}) cover key=value secrets, secret-taking flags, URL
 * user-info, authorization headers, well-known token formats and private-key blocks; a policy adds its own patterns
 * and flags. A redacted value becomes {@value #MASK}.
 */
public final class Redactor {

  public static final String MASK = "<redacted>";

  private static final String SECRET_WORDS =
      "(?:password|passwd|passphrase|pwd|pass|secret|token|api[_.-]?key|apikey|access[_.-]?key|"
          + "secret[_.-]?key|private[_.-]?key|client[_.-]?secret|credentials?|auth|authorization|sessionid|"
          + "session[_.-]?token|signature|storepass|keypass|jwt|cookie)";

  /** {@code key=value} or {@code key: value} where the key names a secret; the value is masked. */
  private static final Pattern KEY_VALUE =
      Pattern.compile(
          "(?i)([A-Za-z0-9_.-]*" + SECRET_WORDS + "[A-Za-z0-9_.-]*\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s&;,'\"]+)");

  /** {@code scheme://user:password@host}: the password is masked, the user kept. */
  private static final Pattern URL_USERINFO =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^/\\s:@]*:)([^@\\s/]+)(@)");

  /** Oracle's {@code jdbc:oracle:thin:user/password@host}. */
  private static final Pattern ORACLE_THIN = Pattern.compile("(?i)(jdbc:oracle:[a-z]+:[^/@\\s:]+/)([^@\\s]+)(@)");

  private static final Pattern AUTH_SCHEME =
      Pattern.compile("(?i)((?:bearer|basic|digest|token)\\s+)([A-Za-z0-9._~+/=-]{8,})");

  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)");

  /** Token formats that are secrets wherever they appear. */
  private static final Pattern KNOWN_TOKENS =
      Pattern.compile(
          "(?:\\b(?:AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16}\\b)" // AWS access key ids
              + "|(?:\\bAIza[0-9A-Za-z_-]{35}\\b)" // Google API keys
              + "|(?:\\bya29\\.[0-9A-Za-z_-]{20,})" // Google OAuth access tokens
              + "|(?:\\bgh[pousr]_[A-Za-z0-9]{30,})" // GitHub tokens
              + "|(?:\\bgithub_pat_[A-Za-z0-9_]{30,})"
              + "|(?:\\bxox[abprs]-[A-Za-z0-9-]{10,})" // Slack
              + "|(?:\\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,})" // Stripe
              + "|(?:\\bglpat-[A-Za-z0-9_-]{20,})" // GitLab
              + "|(?:\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*)" // JWTs
              + "|(?:\\bnpm_[A-Za-z0-9]{36}\\b)");

  /** Flags whose next argument (or {@code =value}) is a secret. */
  private static final Set<String> SECRET_FLAGS =
      Set.of(
          "--password", "--passwd", "--pass", "--pwd", "--secret", "--token", "--api-key", "--apikey",
          "--access-key", "--secret-key", "--client-secret", "--auth-token", "--auth", "--passphrase",
          "--private-key", "--db-password", "-password", "-storepass", "-keypass", "-srcstorepass",
          "-deststorepass", "-srckeypass", "-destkeypass", "-passin", "-passout", "-pass", "--bearer");

  /** Programs whose {@code -p} takes a password (for most others it is a port). */
  private static final Set<String> DASH_P_PASSWORD_PROGRAMS =
      Set.of("mysql", "mysqldump", "mysqladmin", "mariadb", "mariadb-dump", "sshpass", "mysqlimport");

  private static final Set<String> DASH_A_PASSWORD_PROGRAMS = Set.of("redis-cli");

  private static final Set<String> AUTH_SCHEME_WORDS = Set.of("bearer", "basic", "digest", "token", "negotiate");

  private final List<Pattern> extraPatterns;
  private final Set<String> extraFlags;

  public Redactor(Redaction policy) {
    this.extraPatterns = policy.patterns();
    this.extraFlags = Set.copyOf(policy.secretFlags());
  }

  public static Redactor builtIn() {
    return new Redactor(Redaction.none());
  }

  /** Redacts free text (a path, a JNDI name, a URL, one argument). */
  public String text(String s) {
    if (s == null || s.isEmpty()) {
      return s;
    }
    String out = s;
    if (out.indexOf("PRIVATE KEY") >= 0) {
      out = PRIVATE_KEY.matcher(out).replaceAll(Matcher.quoteReplacement(MASK));
    }
    // Schemes first: in "Authorization: Basic xyz" the credential is xyz, not the word Basic.
    out = AUTH_SCHEME.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    out = KEY_VALUE.matcher(out).replaceAll(m -> isAuthScheme(m.group(2))
        ? Matcher.quoteReplacement(m.group(0))
        : Matcher.quoteReplacement(m.group(1) + MASK));
    if (out.indexOf("://") >= 0) {
      out = URL_USERINFO.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "$3");
    }
    if (out.regionMatches(true, 0, "jdbc:oracle", 0, 11) || out.toLowerCase(Locale.ROOT).contains("jdbc:oracle")) {
      out = ORACLE_THIN.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "$3");
    }
    out = KNOWN_TOKENS.matcher(out).replaceAll(Matcher.quoteReplacement(MASK));
    for (Pattern p : extraPatterns) {
      out = replaceExtra(p, out);
    }
    return out;
  }

  private static boolean isAuthScheme(String value) {
    return AUTH_SCHEME_WORDS.contains(value.toLowerCase(Locale.ROOT));
  }

  private static String replaceExtra(Pattern p, String s) {
    Matcher m = p.matcher(s);
    boolean named = p.pattern().contains("(?<secret>");
    StringBuilder sb = new StringBuilder();
    int last = 0;
    while (m.find()) {
      if (named && m.group("secret") != null) {
        sb.append(s, last, m.start("secret")).append(MASK);
        last = m.end("secret");
      } else {
        sb.append(s, last, m.start()).append(MASK);
        last = m.end();
      }
      if (m.end() == m.start()) {
        break; // an empty match: nothing more to mask
      }
    }
    sb.append(s, last, s.length());
    return sb.toString();
  }

  /**
   * Redacts a command's arguments (argv[0] included) with knowledge of the flags that take secrets. The returned
   * list has the same length.
   */
  public List<String> arguments(List<String> args) {
    List<String> out = new ArrayList<>(args.size());
    String program = args.isEmpty() ? "" : baseName(args.get(0));
    boolean maskNext = false;
    boolean inKeyBlock = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i) == null ? "" : args.get(i);
      if (maskNext) {
        out.add(MASK);
        maskNext = false;
        continue;
      }
      // A PEM private key split over several arguments: mask from BEGIN to END.
      if (!inKeyBlock && arg.contains("-----BEGIN") && i + 1 < args.size() && !arg.contains("-----END")
          && String.join(" ", args.subList(i, Math.min(args.size(), i + 4))).contains("PRIVATE KEY")) {
        inKeyBlock = true;
      }
      if (inKeyBlock) {
        out.add(MASK);
        if (arg.contains("-----END") || arg.endsWith("KEY-----") && i > 0 && args.get(i - 1).contains("PRIVATE")
            && arg.indexOf("-----END") >= 0) {
          inKeyBlock = false;
        }
        continue;
      }
      // "Authorization: Bearer <token>" split over arguments: the argument after the scheme is the credential.
      if (i > 0 && i + 1 < args.size() && AUTH_SCHEME_WORDS.contains(arg.toLowerCase(Locale.ROOT))
          && args.get(i - 1).toLowerCase(Locale.ROOT).endsWith("authorization:")) {
        out.add(arg);
        maskNext = true;
        continue;
      }
      String lower = arg.toLowerCase(Locale.ROOT);
      int eq = lower.indexOf('=');
      String flag = eq > 0 ? lower.substring(0, eq) : lower;
      if (i > 0 && (SECRET_FLAGS.contains(flag) || extraFlags.contains(flag))) {
        if (eq > 0) {
          out.add(arg.substring(0, eq + 1) + MASK);
        } else {
          out.add(arg);
          maskNext = true;
        }
        continue;
      }
      if (i > 0 && DASH_P_PASSWORD_PROGRAMS.contains(program) && arg.startsWith("-p") && !arg.startsWith("--")) {
        if (arg.length() > 2) {
          out.add("-p" + MASK);
        } else if (program.equals("sshpass")) {
          out.add(arg);
          maskNext = true;
        } else {
          out.add(arg); // mysql -p alone prompts for the password
        }
        continue;
      }
      if (i > 0 && DASH_A_PASSWORD_PROGRAMS.contains(program) && (arg.equals("-a") || arg.equals("--pass"))) {
        out.add(arg);
        maskNext = true;
        continue;
      }
      out.add(text(arg));
    }
    return out;
  }

  private static String baseName(String executable) {
    int slash = executable.lastIndexOf('/');
    return slash < 0 ? executable : executable.substring(slash + 1);
  }
}
