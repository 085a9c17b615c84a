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

  /**
   * Key words that make a {@code key=value} key secret wherever they appear in it (after removing {@code _ . -}):
   * {@code AWS_SECRET_ACCESS_KEY}, {@code db.password}, {@code sessionToken}.
   */
  private static final String[] SECRET_SUBSTRINGS = {
    "password", "passwd", "passphrase", "secret", "token", "apikey", "accesskey", "privatekey", "credential",
    "authorization", "sessionid", "signature", "storepass", "keypass", "cookie"
  };

  /**
   * Short words that make a key secret only as a whole segment of it ({@code pass}, {@code db_pwd}, {@code x-auth}),
   * so that {@code bypass=} and {@code author=} keep their values.
   */
  private static final Set<String> SECRET_SEGMENTS = Set.of("pass", "pwd", "auth", "jwt", "pw");

  /** Keys that are secret as a whole: {@code ?key=...}, {@code sig=...}. */
  private static final Set<String> SECRET_KEYS = Set.of("key", "sig", "apikey", "pin");

  /** A key is at most this long; a longer run of key characters is judged by its last part. */
  private static final int MAX_KEY = 128;

  /** Literal starts of the token formats of {@link #KNOWN_TOKENS}: no regex runs on text without one. */
  private static final String[] TOKEN_MARKERS = {
    "AKIA", "ASIA", "AIDA", "AROA", "AIza", "ya29.", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "k_live_", "k_test_", "glpat-",
    "eyJ", "npm_"
  };

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
    Set<String> flags = new java.util.HashSet<>();
    for (String f : policy.secretFlags()) {
      flags.add(f.toLowerCase(Locale.ROOT)); // arguments are compared in lower case
    }
    this.extraFlags = Set.copyOf(flags);
  }

  public static Redactor builtIn() {
    return new Redactor(Redaction.none());
  }

  /**
   * Redacts free text (a path, a JNDI name, a URL, one argument, a whole shell command). Linear in the length of
   * the text: the built-in rules are literal scans, and the few regular expressions run only on text that holds
   * their literal marker. Policy patterns run with a read budget; text that exhausts it is masked whole.
   */
  public String text(String s) {
    if (s == null || s.isEmpty()) {
      return s;
    }
    String out = s;
    if (out.indexOf("PRIVATE KEY") >= 0) {
      out = PRIVATE_KEY.matcher(out).replaceAll(Matcher.quoteReplacement(MASK));
    }
    // Schemes first: in "Authorization: Basic xyz" the credential is xyz, not the word Basic.
    if (containsIgnoreCase(out, "bearer") || containsIgnoreCase(out, "basic") || containsIgnoreCase(out, "digest")
        || containsIgnoreCase(out, "token")) {
      out = AUTH_SCHEME.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    }
    if (out.indexOf('=') >= 0 || out.indexOf(':') >= 0) {
      out = keyValues(out);
    }
    if (out.indexOf(" -") >= 0) {
      out = flagsInText(out);
    }
    if (out.indexOf("://") >= 0 && out.indexOf('@') >= 0) {
      out = URL_USERINFO.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "$3");
    }
    if (containsIgnoreCase(out, "jdbc:oracle")) {
      out = ORACLE_THIN.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "$3");
    }
    for (String marker : TOKEN_MARKERS) {
      if (out.indexOf(marker) >= 0) {
        out = KNOWN_TOKENS.matcher(out).replaceAll(Matcher.quoteReplacement(MASK));
        break;
      }
    }
    for (Pattern p : extraPatterns) {
      out = replaceExtra(p, out);
    }
    return out;
  }

  private static boolean containsIgnoreCase(String s, String word) {
    int last = s.length() - word.length();
    char first = word.charAt(0);
    for (int i = 0; i <= last; i++) {
      char c = s.charAt(i);
      if ((c == first || Character.toLowerCase(c) == first) && s.regionMatches(true, i, word, 0, word.length())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isKeyChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
        || c == '-';
  }

  /** True when a key names a secret (see {@link #SECRET_SUBSTRINGS}, {@link #SECRET_SEGMENTS}). */
  static boolean isSecretKey(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    if (SECRET_KEYS.contains(lower)) {
      return true;
    }
    StringBuilder compact = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (c != '_' && c != '.' && c != '-') {
        compact.append(c);
      }
    }
    String joined = compact.toString();
    for (String word : SECRET_SUBSTRINGS) {
      if (joined.contains(word)) {
        return true;
      }
    }
    // Segments: split at _ . - and at lower-to-upper case changes (dbPass).
    int segStart = 0;
    for (int i = 1; i <= key.length(); i++) {
      boolean boundary = i == key.length()
          || !Character.isLetterOrDigit(key.charAt(i))
          || (Character.isLowerCase(key.charAt(i - 1)) && Character.isUpperCase(key.charAt(i)));
      if (boundary) {
        if (i > segStart && SECRET_SEGMENTS.contains(key.substring(segStart, i).toLowerCase(Locale.ROOT))) {
          return true;
        }
        segStart = i < key.length() && !Character.isLetterOrDigit(key.charAt(i)) ? i + 1 : i;
      }
    }
    return false;
  }

  /**
   * {@code key=value} and {@code key: value} where the key names a secret: the value (a quoted string, or a run up
   * to white space, {@code & ; ,} or a quote) is masked. One pass; each key is read once.
   */
  private static String keyValues(String s) {
    StringBuilder out = null;
    int last = 0;
    int n = s.length();
    int runStart = -1; // start of the current run of key characters
    int keyStart = -1;
    int keyEnd = -1; // the last complete run, and whether only white space followed it
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (isKeyChar(c)) {
        if (runStart < 0) {
          runStart = i;
        }
        continue;
      }
      if (runStart >= 0) {
        keyStart = runStart;
        keyEnd = i;
        runStart = -1;
      }
      if (Character.isWhitespace(c)) {
        if (keyEnd >= 0 && i - keyEnd > 8) {
          keyEnd = -1;
        }
        continue;
      }
      if ((c == '=' || c == ':') && keyEnd >= 0) {
        String key = s.substring(Math.max(keyStart, keyEnd - MAX_KEY), keyEnd);
        keyEnd = -1;
        if (!isSecretKey(key)) {
          continue;
        }
        int v = i + 1;
        while (v < n && v - i <= 8 && Character.isWhitespace(s.charAt(v))) {
          v++;
        }
        int valueEnd = v;
        if (v < n && (s.charAt(v) == '"' || s.charAt(v) == '\'')) {
          int close = s.indexOf(s.charAt(v), v + 1);
          valueEnd = close < 0 ? n : close + 1;
        } else {
          while (valueEnd < n && " \t\r\n&;,'\"".indexOf(s.charAt(valueEnd)) < 0) {
            valueEnd++;
          }
        }
        if (valueEnd == v || isAuthScheme(s.substring(v, valueEnd))) {
          continue;
        }
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(s, last, v).append(MASK);
        last = valueEnd;
        i = valueEnd - 1;
        continue;
      }
      keyEnd = -1;
    }
    if (out == null) {
      return s;
    }
    return out.append(s, last, n).toString();
  }

  /** {@code name:secret} from {@code from} on: the part after the first colon is masked. */
  private static String maskAfterColon(String token, int from) {
    int colon = token.indexOf(':', from);
    return colon < 0 || colon + 1 >= token.length() ? token : token.substring(0, colon + 1) + MASK;
  }

  /** Secret-taking flags inside one string ({@code sh -c "mysql --password x"}, {@code curl -u user:pw}). */
  private String flagsInText(String s) {
    String[] tokens = s.split(" ", -1);
    boolean changed = false;
    boolean curl = s.contains("curl") || s.contains("wget");
    String program = "";
    for (int i = 0; i < tokens.length; i++) {
      String t = tokens[i];
      if (!t.startsWith("-") || t.length() < 2) {
        String base = baseName(t.replace("\"", "").replace("'", ""));
        if (DASH_P_PASSWORD_PROGRAMS.contains(base) || DASH_A_PASSWORD_PROGRAMS.contains(base)) {
          program = base; // the flags that follow belong to it (until the next program word)
        } else if (!t.isEmpty() && !t.contains("=") && i > 0 && tokens[i - 1].matches("[;&|]+|&&|\\|\\|")) {
          program = "";
        }
        continue;
      }
      if (DASH_P_PASSWORD_PROGRAMS.contains(program) && t.startsWith("-p") && !t.startsWith("--")) {
        if (t.length() > 2) {
          tokens[i] = "-p" + MASK; // mysql -pSECRET
          changed = true;
        } else if (program.equals("sshpass") && i + 1 < tokens.length) {
          tokens[++i] = MASK;
          changed = true;
        }
        continue;
      }
      if (DASH_A_PASSWORD_PROGRAMS.contains(program) && (t.equals("-a") || t.equals("--pass"))
          && i + 1 < tokens.length) {
        tokens[++i] = MASK;
        changed = true;
        continue;
      }
      String lower = t.toLowerCase(Locale.ROOT);
      int eq = lower.indexOf('=');
      String flag = eq > 0 ? lower.substring(0, eq) : lower;
      if (SECRET_FLAGS.contains(flag) || extraFlags.contains(flag)) {
        if (eq > 0) {
          tokens[i] = t.substring(0, eq + 1) + MASK;
          changed = true;
        } else if (i + 1 < tokens.length && !tokens[i + 1].isEmpty()) {
          tokens[i + 1] = MASK;
          changed = true;
          i++;
        }
      } else if (curl && (flag.equals("-u") || flag.equals("--user"))) {
        if (eq > 0) { // --user=name:secret
          String masked = maskAfterColon(t, eq + 1);
          changed |= !masked.equals(t);
          tokens[i] = masked;
        } else if (i + 1 < tokens.length) {
          String masked = maskAfterColon(tokens[i + 1], 0);
          if (!masked.equals(tokens[i + 1])) {
            tokens[i + 1] = masked;
            changed = true;
            i++;
          }
        }
      } else if (curl && t.startsWith("-u") && !t.startsWith("--") && t.length() > 2) {
        String masked = maskAfterColon(t, 2); // -uname:secret
        changed |= !masked.equals(t);
        tokens[i] = masked;
      }
    }
    return changed ? String.join(" ", tokens) : s;
  }

  private static boolean isAuthScheme(String value) {
    return AUTH_SCHEME_WORDS.contains(value.toLowerCase(Locale.ROOT));
  }

  private static String replaceExtra(Pattern p, String s) {
    boolean named = p.pattern().contains("(?<secret>");
    StringBuilder sb = new StringBuilder();
    int last = 0;
    try {
      Matcher m = p.matcher(dev.osapimonitor.processors.match.BoundedRegex.budgetedView(s));
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
    } catch (RuntimeException e) {
      if (dev.osapimonitor.processors.match.BoundedRegex.isBudgetExceeded(e)) {
        return MASK; // cannot tell what is secret in it: nothing of it leaves the process
      }
      throw e;
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
      if (i > 0 && (program.equals("curl") || program.equals("wget")) && (arg.equals("-u") || arg.equals("--user"))
          && i + 1 < args.size() && args.get(i + 1) != null && args.get(i + 1).indexOf(':') >= 0) {
        out.add(arg);
        String creds = args.get(++i);
        out.add(creds.substring(0, creds.indexOf(':') + 1) + MASK);
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
