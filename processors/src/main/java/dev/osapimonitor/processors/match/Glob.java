package dev.osapimonitor.processors.match;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled glob. Matching runs a bit-parallel automaton over the subject: linear in its length, no backtracking,
 * no allocation, whatever the pattern — important because subjects (paths, command lines) may come from an attacker.
 *
 * <p>Syntax: {@code *} any run of characters except the separator; {@code **} any run including it; {@code ?} one
 * character except the separator; {@code [abc]}, {@code [a-z]}, {@code [!abc]} one character of (or not of) a set;
 * {@code {a,b}} alternatives; {@code \} escapes the next character. With separator {@code 0} (no separator), {@code *}
 * and {@code **} mean the same.
 */
public final class Glob {

  /** The automaton keeps its state set in two longs. */
  public static final int MAX_TOKENS = 127;
  /** Bound on {@code {a,b}} expansion, against patterns that multiply into thousands of alternatives. */
  public static final int MAX_ALTERNATIVES = 64;

  private static final byte LITERAL = 0;
  private static final byte ANY_ONE = 1;
  private static final byte CLASS = 2;
  private static final byte STAR = 3;
  private static final byte DOUBLE_STAR = 4;

  private final String pattern;
  private final char separator;
  private final Alternative[] alternatives;

  private Glob(String pattern, char separator, Alternative[] alternatives) {
    this.pattern = pattern;
    this.separator = separator;
    this.alternatives = alternatives;
  }

  /**
   * Compiles a glob.
   *
   * @param separator the character {@code *} and {@code ?} do not cross ({@code '/'} for paths, {@code '.'} for
   *     class names), or {@code 0} for none
   * @throws IllegalArgumentException with a message suitable for a policy error
   */
  public static Glob compile(String pattern, char separator) {
    if (pattern.isEmpty()) {
      throw new IllegalArgumentException("empty glob");
    }
    List<String> expanded = new ArrayList<>();
    expandBraces(pattern, expanded);
    Alternative[] alternatives = new Alternative[expanded.size()];
    for (int i = 0; i < alternatives.length; i++) {
      alternatives[i] = Alternative.compile(expanded.get(i), pattern);
    }
    return new Glob(pattern, separator, alternatives);
  }

  public String pattern() {
    return pattern;
  }

  /** True when the glob has no wildcard at all and so only matches itself. */
  public boolean isLiteral() {
    return alternatives.length == 1 && alternatives[0].literal != null;
  }

  public boolean matches(CharSequence subject) {
    if (subject == null) {
      return false;
    }
    for (Alternative alternative : alternatives) {
      if (alternative.matches(subject, separator)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return pattern;
  }

  private static void expandBraces(String pattern, List<String> out) {
    int open = -1;
    boolean escaped = false;
    boolean inClass = false;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (inClass) {
        if (c == ']') {
          inClass = false;
        }
      } else if (c == '[') {
        inClass = true;
      } else if (c == '{') {
        open = i;
        break;
      } else if (c == '}') {
        throw new IllegalArgumentException("unbalanced '}' in glob");
      }
    }
    if (open < 0) {
      out.add(pattern);
      return;
    }
    int depth = 0;
    int close = -1;
    List<String> parts = new ArrayList<>();
    int partStart = open + 1;
    escaped = false;
    for (int i = open; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (escaped) {
        escaped = false;
        continue;
      }
      if (c == '\\') {
        escaped = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
        if (depth == 0) {
          parts.add(pattern.substring(partStart, i));
          close = i;
          break;
        }
      } else if (c == ',' && depth == 1) {
        parts.add(pattern.substring(partStart, i));
        partStart = i + 1;
      }
    }
    if (close < 0) {
      throw new IllegalArgumentException("unbalanced '{' in glob");
    }
    String head = pattern.substring(0, open);
    String tail = pattern.substring(close + 1);
    for (String part : parts) {
      expandBraces(head + part + tail, out);
      if (out.size() > MAX_ALTERNATIVES) {
        throw new IllegalArgumentException(
            "glob expands to more than " + MAX_ALTERNATIVES + " alternatives");
      }
    }
  }

  private static final class Alternative {
    final String literal; // non-null when there is no wildcard: plain equality
    final byte[] kinds;
    final char[] chars;
    final char[][] classes; // pairs of [from, to] ranges
    final boolean[] negated;
    final int size;
    final long starLo; // bit i set when token i is a star, for the epsilon closure
    final long starHi;
    // Necessary conditions checked before the automaton runs (most subjects fail them at once, in a few ns):
    final String prefix; // the leading literal tokens ("" when none); the automaton starts after them
    final String suffix; // the trailing literal tokens ("" when none)
    final String infix; // the longest literal run in between (null when shorter than 2)
    final int minLength; // tokens that consume exactly one character

    private Alternative(String literal, byte[] kinds, char[] chars, char[][] classes, boolean[] negated) {
      this.literal = literal;
      this.kinds = kinds;
      this.chars = chars;
      this.classes = classes;
      this.negated = negated;
      this.size = kinds == null ? 0 : kinds.length;
      long lo = 0;
      long hi = 0;
      for (int i = 0; i < size; i++) {
        if (kinds[i] == STAR || kinds[i] == DOUBLE_STAR) {
          if (i < 64) {
            lo |= 1L << i;
          } else {
            hi |= 1L << (i - 64);
          }
        }
      }
      this.starLo = lo;
      this.starHi = hi;
      int leading = 0;
      while (leading < size && kinds[leading] == LITERAL) {
        leading++;
      }
      int trailing = 0;
      while (trailing < size - leading && kinds[size - 1 - trailing] == LITERAL) {
        trailing++;
      }
      int fixed = 0;
      String longest = null;
      StringBuilder run = new StringBuilder();
      for (int i = 0; i < size; i++) {
        if (kinds[i] != STAR && kinds[i] != DOUBLE_STAR) {
          fixed++;
        }
        if (i >= leading && i < size - trailing && kinds[i] == LITERAL) {
          run.append(chars[i]);
        } else {
          if (run.length() >= 2 && (longest == null || run.length() > longest.length())) {
            longest = run.toString();
          }
          run.setLength(0);
        }
      }
      this.prefix = size == 0 ? "" : new String(chars, 0, leading);
      this.suffix = size == 0 ? "" : new String(chars, size - trailing, trailing);
      this.infix = longest;
      this.minLength = fixed;
    }

    /** The literal prefix, suffix and infix the subject must have; false when it cannot match. */
    private boolean plausible(CharSequence s) {
      int length = s.length();
      if (length < minLength) {
        return false;
      }
      if (s instanceof String) {
        String str = (String) s;
        return str.startsWith(prefix)
            && str.endsWith(suffix)
            && (infix == null || str.indexOf(infix, prefix.length()) >= 0);
      }
      for (int i = 0; i < prefix.length(); i++) {
        if (s.charAt(i) != prefix.charAt(i)) {
          return false;
        }
      }
      for (int i = 0; i < suffix.length(); i++) {
        if (s.charAt(length - suffix.length() + i) != suffix.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    static Alternative compile(String glob, String original) {
      List<Byte> kinds = new ArrayList<>();
      StringBuilder chars = new StringBuilder();
      List<char[]> classes = new ArrayList<>();
      List<Boolean> negated = new ArrayList<>();
      boolean wildcard = false;
      StringBuilder literal = new StringBuilder();
      for (int i = 0; i < glob.length(); i++) {
        char c = glob.charAt(i);
        byte kind;
        char ch = 0;
        char[] ranges = null;
        boolean neg = false;
        if (c == '\\') {
          if (i + 1 >= glob.length()) {
            throw new IllegalArgumentException("glob ends with an escape character");
          }
          kind = LITERAL;
          ch = glob.charAt(++i);
          literal.append(ch);
        } else if (c == '*') {
          wildcard = true;
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            kind = DOUBLE_STAR;
            i++;
            while (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
              i++;
            }
          } else {
            kind = STAR;
          }
        } else if (c == '?') {
          wildcard = true;
          kind = ANY_ONE;
        } else if (c == '[') {
          wildcard = true;
          kind = CLASS;
          int end = glob.indexOf(']', i + 2);
          if (end < 0) {
            throw new IllegalArgumentException("unbalanced '[' in glob");
          }
          String body = glob.substring(i + 1, end);
          if (body.startsWith("!") || body.startsWith("^")) {
            neg = true;
            body = body.substring(1);
          }
          if (body.isEmpty()) {
            throw new IllegalArgumentException("empty character class in glob");
          }
          StringBuilder rangeChars = new StringBuilder();
          for (int j = 0; j < body.length(); j++) {
            char from = body.charAt(j);
            char to = from;
            if (j + 2 < body.length() && body.charAt(j + 1) == '-') {
              to = body.charAt(j + 2);
              j += 2;
              if (to < from) {
                throw new IllegalArgumentException("reversed range " + from + "-" + to + " in glob");
              }
            }
            rangeChars.append(from).append(to);
          }
          ranges = rangeChars.toString().toCharArray();
          i = end;
        } else if (c == ']') {
          throw new IllegalArgumentException("unbalanced ']' in glob");
        } else {
          kind = LITERAL;
          ch = c;
          literal.append(c);
        }
        kinds.add(kind);
        chars.append(ch);
        classes.add(ranges);
        negated.add(neg);
      }
      if (!wildcard) {
        return new Alternative(literal.toString(), null, null, null, null);
      }
      if (kinds.size() > MAX_TOKENS) {
        throw new IllegalArgumentException(
            "glob too long: " + kinds.size() + " elements (at most " + MAX_TOKENS + ")");
      }
      byte[] k = new byte[kinds.size()];
      boolean[] n = new boolean[kinds.size()];
      for (int i = 0; i < k.length; i++) {
        k[i] = kinds.get(i);
        n[i] = negated.get(i);
      }
      return new Alternative(null, k, chars.toString().toCharArray(), classes.toArray(new char[0][]), n);
    }

    boolean matches(CharSequence s, char separator) {
      if (literal != null) {
        return literal.contentEquals(s);
      }
      if (!plausible(s)) {
        return false;
      }
      // State i means "the next token to match is i"; state `size` accepts. Bits 0-63 in lo, 64-127 in hi. The
      // literal prefix has matched already: start after it.
      int start = prefix.length();
      long lo = start < 64 ? 1L << start : 0L;
      long hi = start < 64 ? 0L : 1L << (start - 64);
      int length = s.length();
      for (int pos = start; ; pos++) {
        // Epsilon closure: a star may match nothing, so the state after an active star is active too. Only star
        // states are looked at; a chain of stars needs another round, hence the loop until nothing changes.
        while (true) {
          long starsLo = lo & starLo;
          long starsHi = hi & starHi;
          long addLo = starsLo << 1;
          long addHi = (starsHi << 1) | (starsLo >>> 63);
          if ((addLo & ~lo) == 0 && (addHi & ~hi) == 0) {
            break;
          }
          lo |= addLo;
          hi |= addHi;
        }
        if (pos == length) {
          break;
        }
        char c = s.charAt(pos);
        boolean separatorChar = separator != 0 && c == separator;
        long nextLo = 0;
        long nextHi = 0;
        for (int half = 0; half < 2; half++) {
          long bits = half == 0 ? lo : hi;
          while (bits != 0) {
            int state = half * 64 + Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            if (state >= size) {
              continue;
            }
            boolean advance = false;
            boolean stay = false;
            switch (kinds[state]) {
              case LITERAL:
                advance = chars[state] == c;
                break;
              case ANY_ONE:
                advance = !separatorChar;
                break;
              case CLASS:
                advance = !separatorChar && inClass(state, c);
                break;
              case STAR:
                stay = !separatorChar;
                break;
              default: // DOUBLE_STAR
                stay = true;
                break;
            }
            if (stay) {
              if (state < 64) {
                nextLo |= 1L << state;
              } else {
                nextHi |= 1L << (state - 64);
              }
            }
            if (advance) {
              int next = state + 1;
              if (next < 64) {
                nextLo |= 1L << next;
              } else {
                nextHi |= 1L << (next - 64);
              }
            }
          }
        }
        if (nextLo == 0 && nextHi == 0) {
          return false;
        }
        lo = nextLo;
        hi = nextHi;
      }
      return size < 64 ? (lo & (1L << size)) != 0 : (hi & (1L << (size - 64))) != 0;
    }

    private boolean inClass(int state, char c) {
      char[] ranges = classes[state];
      boolean found = false;
      for (int i = 0; i < ranges.length; i += 2) {
        if (c >= ranges[i] && c <= ranges[i + 1]) {
          found = true;
          break;
        }
      }
      return found != negated[state];
    }
  }
}
