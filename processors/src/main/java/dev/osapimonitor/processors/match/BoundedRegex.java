package dev.osapimonitor.processors.match;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression that cannot hang the application. Two guards: at load time, patterns with nested unbounded
 * quantifiers (the shape of catastrophic backtracking, e.g. {@code (a+)+}) are rejected; at match time the subject
 * is read through a counting view that gives up after a budget of character reads, which counts as "no match" and
 * is reported through {@link #budgetExceeded()}.
 */
public final class BoundedRegex {

  /** Character reads allowed per match: generous for real patterns, small enough to bound a hostile subject. */
  public static final int READ_BUDGET = 100_000;

  private static final java.util.concurrent.atomic.AtomicLong budgetExceeded =
      new java.util.concurrent.atomic.AtomicLong();

  private final Pattern pattern;

  private BoundedRegex(Pattern pattern) {
    this.pattern = pattern;
  }

  /**
   * Compiles a regex (Java syntax, unanchored: use {@code ^...$} to anchor).
   *
   * @throws IllegalArgumentException with a message suitable for a policy error
   */
  public static BoundedRegex compile(String regex) {
    if (regex.isEmpty()) {
      throw new IllegalArgumentException("empty regex");
    }
    String nested = nestedQuantifier(regex);
    if (nested != null) {
      throw new IllegalArgumentException(
          "regex has a nested quantifier (" + nested + ") that can backtrack catastrophically; "
              + "rewrite it without a repeated group that itself repeats");
    }
    try {
      return new BoundedRegex(Pattern.compile(regex));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "invalid regex: " + e.getDescription() + " near index " + e.getIndex());
    }
  }

  public String pattern() {
    return pattern.pattern();
  }

  public boolean find(CharSequence subject) {
    if (subject == null) {
      return false;
    }
    try {
      return pattern.matcher(new Budgeted(subject)).find();
    } catch (BudgetExceeded e) {
      budgetExceeded.incrementAndGet();
      return false;
    } catch (StackOverflowError e) {
      budgetExceeded.incrementAndGet();
      return false;
    }
  }

  /**
   * A view of {@code subject} that throws once {@link #READ_BUDGET} characters were read, for other code that runs
   * policy-supplied patterns (redaction); {@link #isBudgetExceeded} recognises the exception.
   */
  public static CharSequence budgetedView(CharSequence subject) {
    return new Budgeted(subject);
  }

  public static boolean isBudgetExceeded(RuntimeException e) {
    if (e instanceof BudgetExceeded) {
      budgetExceeded.incrementAndGet();
      return true;
    }
    return false;
  }

  /** Matches abandoned because they exceeded the read budget, since start. */
  public static long budgetExceeded() {
    return budgetExceeded.get();
  }

  @Override
  public String toString() {
    return pattern.pattern();
  }

  /**
   * Returns a description of the first group that is quantified with {@code *}, {@code +} or {@code {n,}} while
   * containing such a quantifier itself, or {@code null}. Character classes and escapes are skipped.
   */
  static String nestedQuantifier(String regex) {
    int n = regex.length();
    // Per open group: does its body contain an unbounded quantifier?
    java.util.ArrayDeque<int[]> groups = new java.util.ArrayDeque<>();
    boolean inClass = false;
    for (int i = 0; i < n; i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        if (i + 1 < n && regex.charAt(i + 1) == 'Q') {
          int end = regex.indexOf("\\E", i + 2);
          i = end < 0 ? n : end + 1;
        } else {
          i++;
        }
        continue;
      }
      if (inClass) {
        if (c == ']') {
          inClass = false;
        }
        continue;
      }
      if (c == '[') {
        inClass = true;
        if (i + 1 < n && regex.charAt(i + 1) == ']') {
          i++;
        }
        continue;
      }
      if (c == '(') {
        groups.push(new int[] {i, 0});
        continue;
      }
      if (c == ')') {
        int[] group = groups.isEmpty() ? null : groups.pop();
        boolean unbounded = unboundedQuantifierAt(regex, i + 1);
        if (group != null) {
          if (unbounded && group[1] != 0) {
            int end = i + 2;
            if (regex.charAt(i + 1) == '{') {
              end = regex.indexOf('}', i + 1) + 1;
            }
            return regex.substring(group[0], Math.min(n, end));
          }
          if ((unbounded || group[1] != 0) && !groups.isEmpty()) {
            groups.peek()[1] = 1;
          }
        }
        continue;
      }
      if (unboundedQuantifierAt(regex, i) && !groups.isEmpty()) {
        groups.peek()[1] = 1;
      }
    }
    return null;
  }

  private static boolean unboundedQuantifierAt(String regex, int i) {
    if (i >= regex.length()) {
      return false;
    }
    char c = regex.charAt(i);
    if (c == '*' || c == '+') {
      return true;
    }
    if (c == '{') {
      int close = regex.indexOf('}', i);
      return close > 0 && regex.substring(i, close).endsWith(",");
    }
    return false;
  }

  private static final class BudgetExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetExceeded() {
      super(null, null, false, false);
    }
  }

  private static final class Budgeted implements CharSequence {
    private final CharSequence delegate;
    private int remaining = READ_BUDGET;

    Budgeted(CharSequence delegate) {
      this.delegate = delegate;
    }

    @Override
    public int length() {
      return delegate.length();
    }

    @Override
    public char charAt(int index) {
      if (--remaining < 0) {
        throw new BudgetExceeded();
      }
      return delegate.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new Budgeted(delegate.subSequence(start, end));
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }
}
