package dev.osapimonitor.processors.match;

import dev.osapimonitor.bootstrap.OsApiOps;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.io.File;
import java.lang.invoke.MethodHandles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

/**
 * What a rule may ask about one OS-API call, derived lazily from the raw arguments the advice passed to the gate.
 * One instance per thread is reused from call to call, so deciding a call that no rule matches allocates nothing;
 * a value that needs allocation (a joined command line, a normalised path, the caller frame) is computed at most
 * once per call and only when a matcher or the span asks for it.
 *
 * <p>The raw arguments per operation are listed in {@code docs/architecture.md} ("gate arguments").
 */
public final class CallFacts {

  private static final String USER_DIR = System.getProperty("user.dir", "/");
  private static volatile String osUser = System.getProperty("user.name", "");
  private static volatile AttributeKey<String> enduserKey = AttributeKey.stringKey("enduser.id");

  private int op = -1;
  private Object subject;
  private Object detail;
  private long value;
  private CallerLocator callerLocator;

  private String path;
  private String targetPath;
  private int openMode = -1;
  private String executable;
  private String commandLine;
  private String host;
  private InetAddress address;
  private int port = -1;
  private boolean peerDone;
  private Caller caller;
  private boolean callerDone;
  private String name;
  private long startedAt;
  private Span span;

  /** Prepares this instance for a new call; drops everything derived from the previous one. */
  public CallFacts reset(int op, Object subject, Object detail, long value, CallerLocator callerLocator) {
    this.op = op;
    this.subject = subject;
    this.detail = detail;
    this.value = value;
    this.callerLocator = callerLocator;
    path = null;
    targetPath = null;
    openMode = -1;
    executable = null;
    commandLine = null;
    host = null;
    address = null;
    port = -1;
    peerDone = false;
    caller = null;
    callerDone = false;
    span = null;
    name = null;
    startedAt = 0;
    return this;
  }

  /** Releases references to the application's objects once the call is decided. */
  public void clear() {
    subject = null;
    detail = null;
    caller = null;
    span = null;
    path = null;
    targetPath = null;
    executable = null;
    commandLine = null;
    host = null;
    address = null;
    name = null;
  }

  // Visible for configuration by the engine.
  public static void configure(String user, String enduserAttribute) {
    osUser = user;
    enduserKey = AttributeKey.stringKey(enduserAttribute);
  }

  /** Sets when the call started, for calls decided after they ran; 0 means "now". */
  public void startedAt(long epochNanos) {
    this.startedAt = epochNanos;
  }

  public long startedAt() {
    return startedAt;
  }

  public int op() {
    return op;
  }

  public int family() {
    return OsApiOps.familyOf(op);
  }

  public Object subject() {
    return subject;
  }

  public Object detail() {
    return detail;
  }

  public long value() {
    return value;
  }

  /** The OS user this JVM runs as. */
  public String osUser() {
    return osUser;
  }

  public String threadName() {
    return Thread.currentThread().getName();
  }

  // ---- file and native paths

  /**
   * The absolute, normalised path of a file operation (the source of a rename/copy), or the path or name of a
   * native library; {@code null} for other families. A path that is already absolute and normal is returned as the
   * application gave it, without allocating.
   */
  public String path() {
    if (path == null) {
      int family = family();
      if (family == OsApiOps.FAMILY_FILE) {
        path = absolute(subject);
      } else if (family == OsApiOps.FAMILY_NATIVE) {
        // System.load passes a path (value 1); System.loadLibrary a name found on the library path (value 0).
        path = value == 1 ? absolute(subject) : resolveLibrary(String.valueOf(subject));
      }
    }
    return path;
  }

  /**
   * Where {@code System.loadLibrary(name)} finds the library: the first existing file named
   * {@code System.mapLibraryName(name)} on {@code sun.boot.library.path} then {@code java.library.path}, the order
   * the JDK searches; {@code null} when there is none (the load fails).
   */
  static String resolveLibrary(String name) {
    if (name == null || name.indexOf('/') >= 0) {
      return name;
    }
    String file = System.mapLibraryName(name);
    for (String property : new String[] {"sun.boot.library.path", "java.library.path"}) {
      String paths = System.getProperty(property, "");
      for (String dir : paths.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        File candidate = new File(dir, file);
        if (candidate.isFile()) {
          return candidate.getAbsolutePath();
        }
      }
    }
    return null;
  }

  /** The destination of a rename, copy or link; {@code null} otherwise. */
  public String targetPath() {
    if (targetPath == null
        && (op == OsApiOps.FILE_RENAME || op == OsApiOps.FILE_COPY || op == OsApiOps.FILE_LINK)) {
      targetPath = absolute(detail);
    }
    return targetPath;
  }

  static String absolute(Object raw) {
    String s;
    if (raw instanceof String) {
      s = (String) raw;
    } else if (raw instanceof Path || raw instanceof File) {
      s = raw.toString();
    } else if (raw == null) {
      return null;
    } else {
      s = String.valueOf(raw);
    }
    if (isAbsoluteAndNormal(s)) {
      return s;
    }
    try {
      Path p = s.startsWith("/") ? Paths.get(s) : Paths.get(USER_DIR, s);
      return p.normalize().toString();
    } catch (RuntimeException e) {
      // Not a valid path on this file system (e.g. a NUL byte): match and report what the application passed.
      return s;
    }
  }

  static boolean isAbsoluteAndNormal(String s) {
    int n = s.length();
    if (n == 0 || s.charAt(0) != '/') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) == '/') {
        if (i + 1 == n) {
          return n == 1; // a trailing slash: let normalize() drop it
        }
        char next = s.charAt(i + 1);
        if (next == '/') {
          return false;
        }
        if (next == '.') {
          // "/." or "/.." followed by '/' or the end is a dot segment
          if (i + 2 == n || s.charAt(i + 2) == '/') {
            return false;
          }
          if (s.charAt(i + 2) == '.' && (i + 3 == n || s.charAt(i + 3) == '/')) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** The open mode of a FILE_OPEN as {@link OsApiOps} MODE_* bits; 0 for other operations. */
  public int openMode() {
    if (openMode < 0) {
      openMode = 0;
      if (op == OsApiOps.FILE_OPEN) {
        openMode = value == OsApiOps.MODE_FROM_OPTIONS ? modeOf(detail) : (int) value;
      }
    }
    return openMode;
  }

  static int modeOf(Object options) {
    if (!(options instanceof Set)) {
      return OsApiOps.MODE_READ;
    }
    boolean read = false;
    boolean write = false;
    int flags = 0;
    for (Object o : (Set<?>) options) {
      if (!(o instanceof OpenOption)) {
        continue;
      }
      if (o == StandardOpenOption.READ) {
        read = true;
      } else if (o == StandardOpenOption.WRITE) {
        write = true;
      } else if (o == StandardOpenOption.APPEND) {
        write = true;
        flags |= OsApiOps.MODE_APPEND;
      } else if (o == StandardOpenOption.CREATE_NEW) {
        flags |= OsApiOps.MODE_CREATE_NEW;
      } else if (o == StandardOpenOption.CREATE) {
        flags |= OsApiOps.MODE_CREATE;
      } else if (o == StandardOpenOption.TRUNCATE_EXISTING) {
        flags |= OsApiOps.MODE_TRUNCATE;
      }
    }
    int mode;
    if ((flags & OsApiOps.MODE_APPEND) != 0) {
      mode = read ? OsApiOps.MODE_READ_WRITE | OsApiOps.MODE_APPEND : OsApiOps.MODE_APPEND;
    } else if (write) {
      mode = read ? OsApiOps.MODE_READ_WRITE : OsApiOps.MODE_WRITE;
    } else {
      mode = OsApiOps.MODE_READ;
    }
    if (!write) {
      flags &= ~(OsApiOps.MODE_CREATE | OsApiOps.MODE_CREATE_NEW | OsApiOps.MODE_TRUNCATE);
    }
    return mode | (flags & ~OsApiOps.MODE_APPEND);
  }

  /** "read", "write", "append" or "read_write" for a FILE_OPEN; {@code null} otherwise. */
  /**
   * The mode a policy's {@code mode:} clause sees: the open mode of a file open; {@code write} for creating,
   * renaming, copying and linking, which all write their destination (so a persistence rule with
   * {@code mode: write} also sees a cron file moved into place).
   */
  public String modeForMatch() {
    switch (op) {
      case OsApiOps.FILE_CREATE:
      case OsApiOps.FILE_RENAME:
      case OsApiOps.FILE_COPY:
      case OsApiOps.FILE_LINK:
        return "write";
      default:
        return openModeName();
    }
  }

  public String openModeName() {
    int mode = openMode();
    if (op != OsApiOps.FILE_OPEN) {
      return null;
    }
    return modeName(mode);
  }

  public static String modeName(int mode) {
    if ((mode & OsApiOps.MODE_APPEND) != 0) {
      return "append";
    }
    switch (mode & OsApiOps.MODE_READ_WRITE) {
      case OsApiOps.MODE_READ_WRITE:
        return "read_write";
      case OsApiOps.MODE_WRITE:
        return "write";
      default:
        return "read";
    }
  }

  // ---- process

  /** The executable of a process start as the application named it (argv[0]); {@code null} otherwise. */
  public String executable() {
    if (executable == null && op == OsApiOps.PROCESS_EXEC) {
      List<String> command = command();
      executable = command == null || command.isEmpty() ? "" : String.valueOf(command.get(0));
    }
    return executable;
  }

  /** The process start's arguments, argv[0] included, as the live list; {@code null} otherwise. */
  public List<String> command() {
    if (op == OsApiOps.PROCESS_EXEC && subject instanceof ProcessBuilder) {
      return ((ProcessBuilder) subject).command();
    }
    return null;
  }

  /** The unredacted command line joined with spaces. For matching only: never exported as is. */
  public String commandLine() {
    if (commandLine == null && op == OsApiOps.PROCESS_EXEC) {
      List<String> command = command();
      commandLine = command == null ? "" : String.join(" ", command);
    }
    return commandLine;
  }

  // ---- network

  private void peer() {
    if (peerDone) {
      return;
    }
    peerDone = true;
    Object s = subject;
    if (s instanceof InetSocketAddress) {
      InetSocketAddress isa = (InetSocketAddress) s;
      host = isa.getHostString();
      address = isa.getAddress();
      port = isa.getPort();
    } else if (s instanceof InetAddress) {
      address = (InetAddress) s;
      host = address.getHostAddress();
      port = (int) (value & OsApiOps.NET_PORT_MASK);
    } else if (s instanceof Socket) {
      Socket socket = (Socket) s;
      address = socket.getInetAddress();
      host = address == null ? null : address.getHostAddress();
      port = socket.getPort();
    } else if (s instanceof SocketChannel) {
      try {
        SocketAddress remote = ((SocketChannel) s).getRemoteAddress();
        if (remote instanceof InetSocketAddress) {
          InetSocketAddress isa = (InetSocketAddress) remote;
          address = isa.getAddress();
          host = isa.getHostString();
          port = isa.getPort();
        }
      } catch (Exception e) {
        // closed in the meantime: no peer
      }
    } else if (s instanceof String) {
      host = (String) s; // a DNS name
    }
  }

  /**
   * The peer of a connect/accept/send, or the local address of a bind: the host name the application used when it
   * gave one, else the address literal.
   */
  public String host() {
    peer();
    return host;
  }

  public InetAddress address() {
    peer();
    return address;
  }

  /** The remote port of a connect/accept/send, or the requested local port of a bind; -1 when unknown. */
  public int port() {
    peer();
    return port;
  }

  public boolean isUdp() {
    return (value & OsApiOps.NET_UDP) != 0 && family() == OsApiOps.FAMILY_NETWORK;
  }

  public boolean isListen() {
    return (value & OsApiOps.NET_LISTEN) != 0 && family() == OsApiOps.FAMILY_NETWORK;
  }

  // ---- names (env, jndi, deserialization, code, dns)

  /**
   * The family's name-like subject: the environment variable, the JNDI name, the deserialized class, the script
   * engine or defined class, the DNS host, the native library (as given); {@code null} for file, process, network.
   */
  public String name() {
    if (name == null) {
      name = computeName();
    }
    return name;
  }

  private String computeName() {
    int family = family();
    if (family == OsApiOps.FAMILY_FILE
        || family == OsApiOps.FAMILY_PROCESS
        || family == OsApiOps.FAMILY_NETWORK) {
      return null;
    }
    if (subject == null) {
      return null;
    }
    if (subject instanceof String) {
      return (String) subject;
    }
    switch (op) {
      case OsApiOps.DESERIALIZATION_READ_OBJECT:
        List<String> classes = names();
        return classes.isEmpty() ? null : classes.get(0);
      case OsApiOps.CODE_EVAL:
        return scriptEngineName(subject);
      case OsApiOps.CODE_DEFINE_CLASS:
        if (subject instanceof Class) {
          return ((Class<?>) subject).getName();
        }
        if (subject instanceof MethodHandles.Lookup) {
          return ((MethodHandles.Lookup) subject).lookupClass().getName();
        }
        return String.valueOf(subject);
      case OsApiOps.CODE_ATTACH:
        try {
          return String.valueOf(subject.getClass().getMethod("id").invoke(subject)); // VirtualMachineDescriptor
        } catch (ReflectiveOperationException | RuntimeException e) {
          return String.valueOf(subject);
        }
      default:
        return String.valueOf(subject);
    }
  }

  /**
   * All names of the call: for a deserialization, every class resolved while reading (top-level first); otherwise
   * the single name, if any. A name clause matches when any of them matches.
   */
  @SuppressWarnings("unchecked")
  public List<String> names() {
    if (op == OsApiOps.DESERIALIZATION_READ_OBJECT && subject instanceof List) {
      return (List<String>) subject;
    }
    String single = name == null ? computeNameIfNotList() : name;
    return single == null ? List.of() : List.of(single);
  }

  private String computeNameIfNotList() {
    return op == OsApiOps.DESERIALIZATION_READ_OBJECT ? null : name();
  }

  /** The engine's name ({@code ScriptEngineFactory.getEngineName()}), read reflectively: java.scripting is optional. */
  static String scriptEngineName(Object engine) {
    try {
      // Through the interfaces: implementations are often non-public classes.
      ClassLoader jdk = ClassLoader.getPlatformClassLoader();
      Object factory =
          Class.forName("javax.script.ScriptEngine", false, jdk).getMethod("getFactory").invoke(engine);
      Object engineName =
          Class.forName("javax.script.ScriptEngineFactory", false, jdk).getMethod("getEngineName").invoke(factory);
      return String.valueOf(engineName);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return engine.getClass().getName();
    }
  }

  // ---- request context

  /** The application's current span (e.g. the HTTP server span of the request being handled). */
  public Span currentSpan() {
    if (span == null) {
      span = Span.current();
    }
    return span;
  }

  public boolean inRequest() {
    return currentSpan().getSpanContext().isValid();
  }

  public SpanContext parentSpanContext() {
    return currentSpan().getSpanContext();
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, AttributeKey<String>> REQUEST_KEYS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A string attribute of the enclosing span by name (e.g. {@code http.route}); {@code null} when absent. */
  public String requestAttribute(String name) {
    return requestAttribute(REQUEST_KEYS.computeIfAbsent(name, AttributeKey::stringKey));
  }

  /** A string attribute of the enclosing span (e.g. {@code http.route}); {@code null} when absent. */
  public String requestAttribute(AttributeKey<String> key) {
    Span current = currentSpan();
    if (current instanceof ReadableSpan) {
      return ((ReadableSpan) current).getAttribute(key);
    }
    return null;
  }

  /** The end user of the enclosing request ({@code enduser.id} unless configured otherwise), or {@code null}. */
  public String enduser() {
    return requestAttribute(enduserKey);
  }

  // ---- caller

  /** The application frame that made the call; {@link CallerLocator#SELF} for the extension's own calls. */
  public Caller caller() {
    if (!callerDone) {
      callerDone = true;
      // An instrumented library class (a script engine) is not its own caller: step over its frames.
      Class<?> skip = op == OsApiOps.CODE_EVAL && subject != null ? subject.getClass() : null;
      caller = callerLocator == null ? null : callerLocator.locate(skip);
    }
    return caller;
  }

  /** True when the caller was already located (so the span can reuse it). */
  public boolean callerKnown() {
    return callerDone;
  }

  /** Local port of a bind subject that is a server socket already bound, used by tests and attributes. */
  static int localPortOf(Object o) {
    if (o instanceof ServerSocket) {
      return ((ServerSocket) o).getLocalPort();
    }
    if (o instanceof NetworkChannel) {
      try {
        SocketAddress a = ((NetworkChannel) o).getLocalAddress();
        return a instanceof InetSocketAddress ? ((InetSocketAddress) a).getPort() : -1;
      } catch (Exception e) {
        return -1;
      }
    }
    return -1;
  }
}
