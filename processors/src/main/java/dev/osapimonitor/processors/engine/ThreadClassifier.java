package dev.osapimonitor.processors.engine;

import java.lang.StackWalker.StackFrame;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Tells, once per thread, whether the thread belongs to the agent (the OTLP exporter's OkHttp threads, the batch
 * processor's worker, ...). The look-back path does not walk the stack for each call, so it relies on this: the
 * outermost non-JDK frame of a thread's stack says who started it. Threads whose stack is all JDK (pools, the common
 * fork-join pool) are not classified as agent threads; captured calls on them are still checked frame by frame.
 *
 * <p>The main thread runs the agent's {@code premain} before the application's {@code main}: while it does, it
 * counts as the agent's, but that answer is not remembered.
 */
final class ThreadClassifier {

  private static final StackWalker WALKER =
      StackWalker.getInstance(EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE));

  private static final ThreadLocal<Boolean> AGENT_THREAD = new ThreadLocal<>();

  /** The agent's entry points that run on the application's main thread. */
  private static final String AGENT_ENTRY = "io.opentelemetry.javaagent.OpenTelemetryAgent";

  private ThreadClassifier() {}

  static boolean isAgentThread() {
    Boolean known = AGENT_THREAD.get();
    if (known != null) {
      return known;
    }
    int kind = classify();
    if (kind == PREMAIN) {
      return true;
    }
    boolean agent = kind == AGENT;
    AGENT_THREAD.set(agent);
    return agent;
  }

  private static final int APPLICATION = 0;
  private static final int AGENT = 1;
  private static final int PREMAIN = 2;

  private static int classify() {
    List<Class<?>> classes =
        WALKER.walk(frames -> frames.map(StackFrame::getDeclaringClass).collect(Collectors.toList()));
    for (int i = classes.size() - 1; i >= 0; i--) {
      Class<?> type = classes.get(i);
      if (StackCallerLocator.isJdkClass(type) && !type.getName().startsWith("dev.osapimonitor.")) {
        continue;
      }
      if (type.getName().startsWith("dev.osapimonitor.bootstrap.")) {
        // Only the gate is between the JDK and here: a JDK-only thread.
        return APPLICATION;
      }
      if (type.getName().equals(AGENT_ENTRY)) {
        return PREMAIN;
      }
      return StackCallerLocator.isAgentClass(type) ? AGENT : APPLICATION;
    }
    return APPLICATION;
  }

  /** Marks the current thread as the agent's (our own workers call this once). */
  static void markAgentThread() {
    AGENT_THREAD.set(Boolean.TRUE);
  }
}
