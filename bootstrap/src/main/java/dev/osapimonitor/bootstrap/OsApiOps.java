package dev.osapimonitor.bootstrap;

/**
 * The OS-API operations the advice reports, as small integers so that the not-flagged path can test a bit mask
 * without allocating. Every operation belongs to one family; its span name is {@code <family>.<operation>}.
 *
 * <p>The numbering is internal to one JVM run (nothing persists it), but it must stay below 64 because the gate keeps
 * one bit per operation in a {@code long}.
 */
public final class OsApiOps {

  // Families.
  public static final int FAMILY_PROCESS = 0;
  public static final int FAMILY_FILE = 1;
  public static final int FAMILY_NETWORK = 2;
  public static final int FAMILY_NATIVE = 3;
  public static final int FAMILY_ENV = 4;
  public static final int FAMILY_JNDI = 5;
  public static final int FAMILY_DESERIALIZATION = 6;
  public static final int FAMILY_CODE = 7;
  public static final int FAMILY_DNS = 8;
  public static final int FAMILY_COUNT = 9;

  private static final String[] FAMILY_NAMES = {
    "process", "file", "network", "native", "env", "jndi", "deserialization", "code", "dns"
  };

  // Operations. Keep each family's operations together; the tables below are indexed by these values.
  public static final int PROCESS_EXEC = 0;
  public static final int PROCESS_WAIT = 1;
  public static final int PROCESS_EXIT = 2;
  public static final int PROCESS_HALT = 3;

  public static final int FILE_OPEN = 4;
  public static final int FILE_CREATE = 5;
  public static final int FILE_DELETE = 6;
  public static final int FILE_RENAME = 7;
  public static final int FILE_CHMOD = 8;
  public static final int FILE_CHOWN = 9;
  public static final int FILE_MKDIR = 10;
  public static final int FILE_COPY = 11;
  public static final int FILE_LINK = 12;

  public static final int NETWORK_CONNECT = 13;
  public static final int NETWORK_BIND = 14;
  public static final int NETWORK_ACCEPT = 15;
  public static final int NETWORK_SEND = 16;

  public static final int NATIVE_LOAD = 17;

  public static final int ENV_READ = 18;

  public static final int JNDI_LOOKUP = 19;

  public static final int DESERIALIZATION_READ_OBJECT = 20;

  public static final int CODE_EVAL = 21;
  public static final int CODE_DEFINE_CLASS = 22;
  public static final int CODE_ATTACH = 23;
  public static final int CODE_LOAD_AGENT = 24;

  public static final int DNS_RESOLVE = 25;

  public static final int OP_COUNT = 26;

  private static final String[] OP_NAMES = {
    "exec", "wait", "exit", "halt",
    "open", "create", "delete", "rename", "chmod", "chown", "mkdir", "copy", "link",
    "connect", "bind", "accept", "send",
    "load",
    "read",
    "lookup",
    "read_object",
    "eval", "define_class", "attach", "load_agent",
    "resolve"
  };

  private static final int[] OP_FAMILY = {
    FAMILY_PROCESS, FAMILY_PROCESS, FAMILY_PROCESS, FAMILY_PROCESS,
    FAMILY_FILE, FAMILY_FILE, FAMILY_FILE, FAMILY_FILE, FAMILY_FILE, FAMILY_FILE, FAMILY_FILE, FAMILY_FILE,
    FAMILY_FILE,
    FAMILY_NETWORK, FAMILY_NETWORK, FAMILY_NETWORK, FAMILY_NETWORK,
    FAMILY_NATIVE,
    FAMILY_ENV,
    FAMILY_JNDI,
    FAMILY_DESERIALIZATION,
    FAMILY_CODE, FAMILY_CODE, FAMILY_CODE, FAMILY_CODE,
    FAMILY_DNS
  };

  // File open modes, passed as the gate's numeric argument for FILE_OPEN.
  public static final int MODE_READ = 1;
  public static final int MODE_WRITE = 2;
  public static final int MODE_READ_WRITE = 3;
  public static final int MODE_APPEND = 4;
  /** Or-ed into the mode when the open creates the file only if it does not exist (CREATE_NEW). */
  public static final int MODE_CREATE_NEW = 8;
  /** Or-ed into the mode when the open may create the file (CREATE, or any java.io write open). */
  public static final int MODE_CREATE = 16;
  /** Or-ed into the mode when the open truncates the file. */
  public static final int MODE_TRUNCATE = 32;

  /** FILE_OPEN value meaning: derive the mode from the NIO open-option set passed as the detail. */
  public static final long MODE_FROM_OPTIONS = -1;

  // Network operations pack their numeric argument: the port (or 0) in the low 32 bits, then these flags.
  public static final long NET_TCP = 0;
  public static final long NET_UDP = 1L << 32;
  /** A bind that also listens (server sockets). */
  public static final long NET_LISTEN = 1L << 40;
  public static final long NET_PORT_MASK = 0xFFFFFFFFL;

  private OsApiOps() {}

  /**
   * True for the operations whose calls run arbitrary code that makes OS calls of its own, decided separately (see
   * {@link OsApiCall#containerOp()}).
   */
  public static boolean isContainer(int op) {
    return op == JNDI_LOOKUP || op == DESERIALIZATION_READ_OBJECT || op == CODE_EVAL;
  }

  public static int familyOf(int op) {
    return OP_FAMILY[op];
  }

  public static String familyName(int family) {
    return FAMILY_NAMES[family];
  }

  public static String operationName(int op) {
    return OP_NAMES[op];
  }

  /** The span name of an operation: {@code <family>.<operation>}, e.g. {@code file.open}. */
  public static String spanName(int op) {
    return FAMILY_NAMES[OP_FAMILY[op]] + "." + OP_NAMES[op];
  }

  /** The operation with the given family and operation name, or -1. */
  public static int find(String family, String operation) {
    for (int op = 0; op < OP_COUNT; op++) {
      if (OP_NAMES[op].equals(operation) && FAMILY_NAMES[OP_FAMILY[op]].equals(family)) {
        return op;
      }
    }
    return -1;
  }

  /** The family with the given name, or -1. */
  public static int findFamily(String family) {
    for (int f = 0; f < FAMILY_COUNT; f++) {
      if (FAMILY_NAMES[f].equals(family)) {
        return f;
      }
    }
    return -1;
  }

  /** The bit mask of all operations of a family, in the gate's per-operation mask. */
  public static long familyMask(int family) {
    long mask = 0;
    for (int op = 0; op < OP_COUNT; op++) {
      if (OP_FAMILY[op] == family) {
        mask |= 1L << op;
      }
    }
    return mask;
  }
}
