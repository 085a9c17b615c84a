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

  // How the call ended; written once by end() on the calling thread, read after endNanos is set.
  long resultValue = Long.MIN_VALUE;
  String resultText;
  String localAddress;
  int localPort = -1;
  String errorType;
  String errorMessage;
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
      default:
        if (result instanceof String) {
          resultText = (String) result;
        }
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
