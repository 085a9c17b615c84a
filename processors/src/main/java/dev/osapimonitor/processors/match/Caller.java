package dev.osapimonitor.processors.match;

/** The application frame that made an OS-API call: the first frame above the JDK and the libraries. */
public final class Caller {

  private final String className;
  private final String methodName;
  private final String fileName;
  private final int line;

  public Caller(String className, String methodName, String fileName, int line) {
    this.className = className;
    this.methodName = methodName;
    this.fileName = fileName;
    this.line = line;
  }

  public String className() {
    return className;
  }

  public String methodName() {
    return methodName;
  }

  /** The source file name, or {@code null} when the class has no debug information. */
  public String fileName() {
    return fileName;
  }

  /** The line number, or a negative number when unknown. */
  public int line() {
    return line;
  }

  /** {@code com.acme.Foo.bar}, the form of the {@code code.function.name} attribute. */
  public String qualifiedMethod() {
    return className + "." + methodName;
  }

  @Override
  public String toString() {
    return qualifiedMethod() + "(" + (fileName == null ? "Unknown Source" : fileName + ":" + line) + ")";
  }
}
