package dev.osapimonitor.processors.engine;

import dev.osapimonitor.bootstrap.OsApiCall;
import dev.osapimonitor.bootstrap.OsApiOps;
import dev.osapimonitor.processors.match.CallFacts;
import dev.osapimonitor.processors.match.Caller;
import io.opentelemetry.api.trace.SpanContext;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;

/**
 * One followed OS-API call as plain data: what the call was (copied out of the application's objects when the call
 * was decided, so later mutation cannot change the record), where and when it happened, and how it ended. A
 * look-back record is just this; a captured call additionally carries its span ({@link CapturedCall}).
 */
public class CallRecord extends OsApiCall {

  /** How much of a script is kept (before redaction and bounds). */
  static final int SCRIPT_PREFIX = 256;

  final int op;
  final long startNanos;
  volatile long endNanos;
  final long threadId;
  final String threadName;
  final SpanContext parent;
  final String enduser;

  final String path;
  final String targetPath;
  final int mode;
  final String change;
  final String executable;
  final String[] args;
  final int argCount;
  final String workingDirectory;
  final String host;
  final String address;
  final int port;
  final boolean udp;
  final boolean listen;
  final String name;
  final Caller caller;
  /** Deserialization: the classes resolved while reading (bounded), and how many there were. */
  final String[] names;
  final int nameCount;
  /** Script evaluation: length and a bounded prefix of the script; agent loads: the method used. */
  final long detailLength;
  final String detailText;

  // How the call ended; written once by end() on the calling thread, read after endNanos is set.
  long resultValue = Long.MIN_VALUE;
  String resultText;
  String localAddress;
  int localPort = -1;
  String errorType;
  String errorMessage;
  long childPid = -1;
  volatile boolean exported;

  CallRecord(CallFacts facts, long startNanos, int maxArgs, boolean withCaller, boolean withEnduser) {
    this.op = facts.op();
    this.startNanos = startNanos;
    Thread thread = Thread.currentThread();
    this.threadId = thread.getId();
    this.threadName = thread.getName();
    this.parent = facts.parentSpanContext();
    this.enduser = withEnduser ? facts.enduser() : null;
    int family = OsApiOps.familyOf(op);
    this.path = family == OsApiOps.FAMILY_FILE || family == OsApiOps.FAMILY_NATIVE ? facts.path() : null;
    this.targetPath = facts.targetPath();
    this.mode = facts.openMode();
    this.change = op == OsApiOps.FILE_CHMOD || op == OsApiOps.FILE_CHOWN ? describeChange(facts.detail()) : null;
    this.executable = facts.executable();
    List<String> command = facts.command();
    if (command != null) {
      int n = command.size();
      this.argCount = n;
      String[] copy = new String[Math.min(n, maxArgs)];
      for (int i = 0; i < copy.length; i++) {
        copy[i] = String.valueOf(command.get(i));
      }
      this.args = copy;
      File dir = ((ProcessBuilder) facts.subject()).directory();
      this.workingDirectory = dir == null ? System.getProperty("user.dir") : dir.getAbsolutePath();
    } else {
      this.argCount = 0;
      this.args = null;
      this.workingDirectory = null;
    }
    if (family == OsApiOps.FAMILY_NETWORK || family == OsApiOps.FAMILY_DNS) {
      this.host = facts.host();
      InetAddress a = facts.address();
      this.address = a == null ? null : a.getHostAddress();
      this.port = facts.port();
      this.udp = facts.isUdp();
      this.listen = facts.isListen();
    } else {
      this.host = null;
      this.address = null;
      this.port = -1;
      this.udp = false;
      this.listen = false;
    }
    this.name = facts.name();
    this.caller = withCaller ? facts.caller() : null;
    if (op == OsApiOps.DESERIALIZATION_READ_OBJECT) {
      List<String> all = facts.names();
      this.names = all.toArray(new String[0]);
      this.nameCount = facts.value() > 0 ? (int) facts.value() : all.size();
    } else {
      this.names = null;
      this.nameCount = 0;
    }
    Object detail = facts.detail();
    if (op == OsApiOps.CODE_EVAL) {
      if (detail instanceof String) {
        String script = (String) detail;
        this.detailLength = script.length();
        this.detailText = script.length() > SCRIPT_PREFIX ? script.substring(0, SCRIPT_PREFIX) : script;
      } else {
        this.detailLength = -1;
        this.detailText = detail == null ? null : "<" + detail.getClass().getName() + ">";
      }
    } else if (op == OsApiOps.CODE_LOAD_AGENT || op == OsApiOps.CODE_DEFINE_CLASS) {
      this.detailLength = op == OsApiOps.CODE_DEFINE_CLASS ? facts.value() : -1;
      this.detailText = detail == null ? null : String.valueOf(detail);
    } else {
      this.detailLength = -1;
      this.detailText = null;
    }
    if (op == OsApiOps.NETWORK_ACCEPT) {
      readLocal(facts.subject());
    }
  }

  private static String describeChange(Object detail) {
    if (detail == null) {
      return null;
    }
    if (detail instanceof Set) {
      // PosixFilePermission set -> rwxr-x--- form
      try {
        @SuppressWarnings("unchecked")
        Set<java.nio.file.attribute.PosixFilePermission> perms =
            (Set<java.nio.file.attribute.PosixFilePermission>) detail;
        return java.nio.file.attribute.PosixFilePermissions.toString(perms);
      } catch (RuntimeException e) {
        return String.valueOf(detail);
      }
    }
    if (detail instanceof java.security.Principal) {
      return ((java.security.Principal) detail).getName();
    }
    return String.valueOf(detail);
  }

  /** Records how the call ended. Called once, on the calling thread, by the gate. */
  @Override
  public void end(Object result, long value, Throwable error) {
    if (error != null) {
      errorType = error.getClass().getName();
      errorMessage = error.getMessage();
    } else {
      interpret(result, value);
    }
    endNanos = EngineClock.realEpochNanos();
    finish();
  }

  /** What a captured call does once its end is recorded; a look-back record does nothing more. */
  void finish() {}

  @Override
  public int containerOp() {
    return OsApiOps.isContainer(op) ? op : -1;
  }

  private void interpret(Object result, long value) {
    switch (op) {
      case OsApiOps.PROCESS_EXEC:
        if (result instanceof Process) {
          try {
            resultValue = ((Process) result).pid();
          } catch (UnsupportedOperationException e) {
            // no pid on this platform
          }
        }
        break;
      case OsApiOps.PROCESS_WAIT:
        resultValue = value;
        if (result instanceof Process) {
          try {
            childPid = ((Process) result).pid();
          } catch (UnsupportedOperationException e) {
            // no pid on this platform
          }
        }
        break;
      case OsApiOps.NETWORK_CONNECT:
      case OsApiOps.NETWORK_BIND:
        if (result != null) {
          readLocal(result);
        } else if (value > 0) {
          localPort = (int) value;
        }
        break;
      case OsApiOps.FILE_DELETE:
      case OsApiOps.FILE_CREATE:
      case OsApiOps.FILE_MKDIR:
      case OsApiOps.FILE_RENAME:
      case OsApiOps.FILE_CHMOD:
      case OsApiOps.FILE_CHOWN:
      case OsApiOps.FILE_COPY:
      case OsApiOps.FILE_LINK:
        if (value == 0) {
          errorType = "returned false";
          errorMessage = "the operation reported failure";
        }
        break;
      case OsApiOps.DNS_RESOLVE:
        resultText = addresses(result);
        break;
      case OsApiOps.PROCESS_EXIT:
      case OsApiOps.PROCESS_HALT:
        resultValue = value;
        break;
      default:
        // Never the content an application read or received (a deserialized String can be anything, a secret
        // included): only what the call was, never what it returned.
        break;
    }
  }

  private void readLocal(Object o) {
    try {
      SocketAddress local = null;
      if (o instanceof Socket) {
        Socket s = (Socket) o;
        localPort = s.getLocalPort();
        InetAddress a = s.getLocalAddress();
        localAddress = a == null ? null : a.getHostAddress();
        return;
      }
      if (o instanceof NetworkChannel) {
        local = ((NetworkChannel) o).getLocalAddress();
      }
      if (local instanceof InetSocketAddress) {
        InetSocketAddress isa = (InetSocketAddress) local;
        localPort = isa.getPort();
        localAddress = isa.getAddress() == null ? null : isa.getAddress().getHostAddress();
      }
      if (o instanceof SocketChannel && op == OsApiOps.NETWORK_ACCEPT) {
        // an accepted channel's peer is already in host/port
      }
    } catch (Exception e) {
      // closed meanwhile: no local address
    }
  }

  /** The addresses a resolution returned, comma-separated (at most 16). */
  static String addresses(Object result) {
    InetAddress[] all;
    if (result instanceof InetAddress[]) {
      all = (InetAddress[]) result;
    } else if (result instanceof InetAddress) {
      all = new InetAddress[] {(InetAddress) result};
    } else {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < all.length && i < 16; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(all[i].getHostAddress());
    }
    return sb.toString();
  }

  boolean failed() {
    return errorType != null;
  }

  boolean finished() {
    return endNanos != 0;
  }

  @Override
  public String toString() {
    return OsApiOps.spanName(op) + "@" + startNanos + "[" + (path != null ? path : executable != null ? executable : host != null ? host : name) + "]";
  }
}
