package dev.osapimonitor.processors.policy;

/**
 * A policy that cannot be used, with where and why: {@code <file>:<line>: <key path>: <problem>}. The key path is
 * written the way the schema document writes it, e.g. {@code rules[2].match.path[0]}.
 */
public final class PolicyException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final String keyPath;
  private final String problem;

  public PolicyException(String source, int line, String keyPath, String problem) {
    super(format(source, line, keyPath, problem));
    this.source = source;
    this.line = line;
    this.keyPath = keyPath;
    this.problem = problem;
  }

  private static String format(String source, int line, String keyPath, String problem) {
    StringBuilder sb = new StringBuilder(source == null ? "<policy>" : source);
    if (line > 0) {
      sb.append(':').append(line);
    }
    sb.append(": ");
    if (keyPath != null && !keyPath.isEmpty()) {
      sb.append(keyPath).append(": ");
    }
    return sb.append(problem).toString();
  }

  /** The file (or other source name) the policy came from. */
  public String source() {
    return source;
  }

  /** 1-based line of the offending node, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** The key path of the offending node, e.g. {@code rules[2].match.path[0]}; empty for the document itself. */
  public String keyPath() {
    return keyPath;
  }

  public String problem() {
    return problem;
  }
}
