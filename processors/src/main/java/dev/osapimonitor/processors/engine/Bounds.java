package dev.osapimonitor.processors.engine;

/**
 * Keeps attribute values bounded and readable: control characters, line separators and bidirectional overrides
 * become visible escapes (so a hostile path cannot forge lines in a log viewer or read as something else), unpaired surrogates become U+FFFD, and a value longer than the limit is cut and
 * marked with {@value #MARK_PREFIX}...{@code ]}, e.g. {@code ...[truncated 1048576 chars]}.
 */
public final class Bounds {

  public static final String MARK_PREFIX = "...[truncated ";

  private Bounds() {}

  /** The sanitized value, cut to at most {@code max} characters plus the truncation mark. */
  public static String text(String s, int max) {
    if (s == null) {
      return null;
    }
    int n = s.length();
    int limit = Math.min(n, max);
    boolean clean = n <= max;
    if (clean) {
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (needsEscape(c) || Character.isSurrogate(c)) {
          clean = false;
          break;
        }
      }
      if (clean) {
        return s;
      }
    }
    StringBuilder sb = new StringBuilder(Math.min(limit + 32, max + 32));
    int i = 0;
    for (; i < n && sb.length() < max; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        sb.append(String.format("\\x%02x", (int) c));
      } else if (needsEscape(c)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        sb.append('\uFFFD');
      } else {
        sb.append(c);
      }
    }
    if (i < n) {
      sb.append(MARK_PREFIX).append(n - i).append(" chars]");
    }
    return sb.toString();
  }

  /**
   * C0 and C1 control characters, the Unicode line and paragraph separators, and the bidirectional overrides and
   * isolates (which can make a path read differently from what it is, "Trojan Source").
   */
  static boolean needsEscape(char c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C;
  }

  public static boolean wasTruncated(String bounded) {
    return bounded != null && bounded.contains(MARK_PREFIX);
  }
}
