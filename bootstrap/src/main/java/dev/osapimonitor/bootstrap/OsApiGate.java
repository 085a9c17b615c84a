package dev.osapimonitor.bootstrap;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Where every piece of advice enters. The first check is one volatile read and a bit test, so a call no rule, flag,
 * trigger or look-back is interested in costs close to nothing and allocates nothing.
 *
 * <p>This class is the only mutable static state of the bootstrap side: the installed handler, the per-operation
 * interest mask, a per-thread depth that makes nested OS calls inside one followed call invisible (e.g. the
 * {@code /dev/null} opens inside a process start) and keeps the extension's own threads out of the record, and the
 * per-thread chain of container calls (JNDI lookups, deserializations, script evaluations) in progress, whose nested
 * OS calls are decided on their own (see {@link OsApiCall#containerOp()}).
 */
public final class OsApiGate {

  private static volatile CallHandler handler;
  /** Bit {@code op} is set when some part of the policy may care about that operation. */
  private static volatile long interest;

  private static final ThreadLocal<int[]> DEPTH =
      new ThreadLocal<int[]>() {
        @Override
        protected int[] initialValue() {
          return new int[1];
        }
      };

  /** The innermost container call in progress on this thread (the others via {@code outer}), for {@link #annotate}. */
  private static final ThreadLocal<OsApiCall> CURRENT = new ThreadLocal<OsApiCall>();

  /** Threads marked internal keep this depth for good; ordinary nesting uses 1. */
  private static final int INTERNAL_DEPTH = 1 << 20;

  private static final AtomicLong internalErrors = new AtomicLong();

  private OsApiGate() {}

  /** Installs (or replaces) the handler and its interest mask. */
  public static void install(CallHandler newHandler, long interestMask) {
    handler = newHandler;
    interest = interestMask;
  }

  /** Changes the interest mask, e.g. when a flag is raised or a policy is reloaded. */
  public static void setInterest(long interestMask) {
    interest = interestMask;
  }

  public static long interest() {
    return interest;
  }

  public static boolean isInstalled() {
    return handler != null;
  }

  /**
   * The advice's entry point. Returns the call to pass to {@link #exit} or {@code null}. Never throws into the
   * application.
   */
  public static OsApiCall enter(int op, Object subject, Object detail, long value) {
    if ((interest & (1L << op)) == 0) {
      return null;
    }
    return enterInterested(op, subject, detail, value);
  }

  private static OsApiCall enterInterested(int op, Object subject, Object detail, long value) {
    CallHandler current = handler;
    if (current == null) {
      return null;
    }
    int[] depth = DEPTH.get();
    if (depth[0] != 0) {
      // Inside a followed call, or on one of the extension's own threads.
      return null;
    }
    if (OsApiOps.isContainer(op) && inside(CURRENT.get(), op)) {
      // The same operation nested in a container is part of it (a readObject inside a custom readObject).
      return null;
    }
    // Raised before the handler runs: anything the handler itself does (class loading, logging) is not recorded.
    depth[0] = 1;
    OsApiCall call = null;
    try {
      call = current.onEnter(op, subject, detail, value);
    } catch (Throwable t) {
      internalErrors.incrementAndGet();
    } finally {
      if (call == null) {
        depth[0] = 0;
      }
    }
    if (call != null && call.containerOp() >= 0) {
      // The code a container runs is the application's: its OS calls are decided on their own.
      depth[0] = 0;
      call.outer = CURRENT.get();
      CURRENT.set(call);
    }
    return call;
  }

  private static boolean inside(OsApiCall container, int op) {
    for (OsApiCall c = container; c != null; c = c.outer) {
      if (c.containerOp() == op) {
        return true;
      }
    }
    return false;
  }

  /**
   * Passes a detail to the followed call in progress on this thread, if there is one and the operation is of
   * interest (cheap otherwise: one volatile read and a bit test). Never throws into the application.
   */
  public static void annotate(int op, Object detail) {
    if ((interest & (1L << op)) == 0) {
      return;
    }
    for (OsApiCall c = CURRENT.get(); c != null; c = c.outer) {
      if (c.containerOp() == op) {
        try {
          c.annotate(detail);
        } catch (Throwable t) {
          internalErrors.incrementAndGet();
        }
        return;
      }
    }
  }

  /** The advice's exit point; {@code call} may be {@code null}. Never throws into the application. */
  public static void exit(OsApiCall call, Object result, long value, Throwable error) {
    if (call == null) {
      return;
    }
    int[] depth = DEPTH.get();
    boolean container = call.containerOp() >= 0;
    int saved = depth[0];
    if (container) {
      depth[0] = 1;
    }
    try {
      // Raised while the call ends: what ending it does (a decision, class loading) is not recorded.
      call.end(result, value, error);
    } catch (Throwable t) {
      internalErrors.incrementAndGet();
    } finally {
      if (container) {
        depth[0] = saved;
        CURRENT.set(call.outer);
        call.outer = null;
      } else if (depth[0] == 1) {
        depth[0] = 0;
      }
    }
  }

  /**
   * Marks the current thread as one of the extension's own (spool writer, policy watcher, ...): no call it makes is
   * ever recorded.
   */
  public static void markCurrentThreadInternal() {
    DEPTH.get()[0] = INTERNAL_DEPTH;
  }

  /**
   * Suppresses recording on the current thread until {@link #endSuppression} is called with the returned value. Used
   * around the extension's own I/O on application threads (e.g. a JMX call that writes an audit record).
   */
  public static int beginSuppression() {
    int[] depth = DEPTH.get();
    int previous = depth[0];
    depth[0] = INTERNAL_DEPTH;
    return previous;
  }

  public static void endSuppression(int previous) {
    DEPTH.get()[0] = previous;
  }

  /** True while the current thread is inside a followed call or suppressed. */
  public static boolean isSuppressed() {
    return DEPTH.get()[0] != 0;
  }

  /** Throwables the handler or a call let escape (and the gate swallowed). Visible for testing and self-metrics. */
  public static long internalErrors() {
    return internalErrors.get();
  }

  /** Counts an error the handler swallowed itself, so that self-metrics see it. */
  public static void countInternalError() {
    internalErrors.incrementAndGet();
  }
}
