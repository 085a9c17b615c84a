package dev.osapimonitor.processors.engine;

import dev.osapimonitor.bootstrap.OsApiOps;
import dev.osapimonitor.exporter.correlation.CaptureAttributes;
import dev.osapimonitor.processors.match.CallFacts;
import dev.osapimonitor.processors.match.CallerLocator;
import dev.osapimonitor.processors.policy.RuleSpec;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The span contract: which attributes an API-call span carries (documented in {@code docs/span-contract.md}).
 * OpenTelemetry semantic-convention names are used wherever one exists; the rest live under {@code osapi.}. Every
 * text value from the application is redacted, sanitised and bounded here, and nowhere else.
 */
final class SpanContract {

  static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
  static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");
  static final AttributeKey<String> CODE_FUNCTION = AttributeKey.stringKey("code.function.name");
  static final AttributeKey<String> CODE_FILE = AttributeKey.stringKey("code.file.path");
  static final AttributeKey<Long> CODE_LINE = AttributeKey.longKey("code.line.number");
  static final AttributeKey<String> ANALYTIC = AttributeKey.stringKey("osapi.analytic");
  static final AttributeKey<String> DATA_COMPONENT = AttributeKey.stringKey("osapi.data_component");
  static final AttributeKey<String> RULE = AttributeKey.stringKey("osapi.rule");
  static final AttributeKey<List<String>> RULE_TAGS = AttributeKey.stringArrayKey("osapi.rule.tags");
  static final AttributeKey<Boolean> TRUNCATED = AttributeKey.booleanKey("osapi.truncated");

  static final AttributeKey<String> EXECUTABLE_PATH = AttributeKey.stringKey("process.executable.path");
  static final AttributeKey<String> EXECUTABLE_NAME = AttributeKey.stringKey("process.executable.name");
  static final AttributeKey<String> COMMAND_LINE = AttributeKey.stringKey("process.command_line");
  static final AttributeKey<List<String>> COMMAND_ARGS = AttributeKey.stringArrayKey("process.command_args");
  static final AttributeKey<Long> ARGS_COUNT = AttributeKey.longKey("osapi.process.args_count");
  static final AttributeKey<String> WORKING_DIRECTORY = AttributeKey.stringKey("process.working_directory");
  static final AttributeKey<Long> PID = AttributeKey.longKey("process.pid");
  static final AttributeKey<Long> EXIT_CODE = AttributeKey.longKey("process.exit.code");

  static final AttributeKey<String> FILE_PATH = AttributeKey.stringKey("file.path");
  static final AttributeKey<String> FILE_TARGET = AttributeKey.stringKey("osapi.file.target_path");
  static final AttributeKey<String> FILE_MODE = AttributeKey.stringKey("osapi.file.mode");
  static final AttributeKey<String> FILE_CREATE = AttributeKey.stringKey("osapi.file.create");
  static final AttributeKey<String> FILE_CHANGE = AttributeKey.stringKey("osapi.file.change");

  static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("network.transport");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
  static final AttributeKey<Long> CLIENT_PORT = AttributeKey.longKey("client.port");
  static final AttributeKey<String> PEER_ADDRESS = AttributeKey.stringKey("network.peer.address");
  static final AttributeKey<Long> PEER_PORT = AttributeKey.longKey("network.peer.port");
  static final AttributeKey<String> LOCAL_ADDRESS = AttributeKey.stringKey("network.local.address");
  static final AttributeKey<Long> LOCAL_PORT = AttributeKey.longKey("network.local.port");
  static final AttributeKey<Boolean> LISTEN = AttributeKey.booleanKey("osapi.network.listen");

  static final AttributeKey<String> NATIVE_LIBRARY = AttributeKey.stringKey("osapi.native.library");
  static final AttributeKey<String> ENV_NAME = AttributeKey.stringKey("osapi.env.name");
  static final AttributeKey<String> JNDI_NAME = AttributeKey.stringKey("osapi.jndi.name");
  static final AttributeKey<String> JNDI_SCHEME = AttributeKey.stringKey("osapi.jndi.scheme");
  static final AttributeKey<String> DESER_CLASS = AttributeKey.stringKey("osapi.deserialization.class");
  static final AttributeKey<List<String>> DESER_CLASSES = AttributeKey.stringArrayKey("osapi.deserialization.classes");
  static final AttributeKey<Long> DESER_CLASS_COUNT = AttributeKey.longKey("osapi.deserialization.class_count");
  static final AttributeKey<String> CODE_ENGINE = AttributeKey.stringKey("osapi.code.engine");
  static final AttributeKey<Long> CODE_SCRIPT_LENGTH = AttributeKey.longKey("osapi.code.script_length");
  static final AttributeKey<String> CODE_SCRIPT_PREFIX = AttributeKey.stringKey("osapi.code.script_prefix");
  static final AttributeKey<String> CODE_CLASS = AttributeKey.stringKey("osapi.code.class");
  static final AttributeKey<Boolean> CODE_HIDDEN = AttributeKey.booleanKey("osapi.code.hidden");
  static final AttributeKey<String> ATTACH_TARGET = AttributeKey.stringKey("osapi.attach.target");
  static final AttributeKey<String> ATTACH_AGENT = AttributeKey.stringKey("osapi.attach.agent");
  static final AttributeKey<String> ATTACH_METHOD = AttributeKey.stringKey("osapi.attach.method");
  static final AttributeKey<String> DNS_NAME = AttributeKey.stringKey("dns.question.name");
  static final AttributeKey<List<String>> DNS_ANSWERS = AttributeKey.stringArrayKey("dns.answers");

  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");

  private final Redactor redactor;
  private final int maxLength;

  SpanContract(Redactor redactor, int maxLength) {
    this.redactor = redactor;
    this.maxLength = maxLength;
  }

  static String spanName(int op) {
    return OsApiOps.spanName(op);
  }

  static SpanKind kind(int op) {
    return op == OsApiOps.NETWORK_CONNECT ? SpanKind.CLIENT : SpanKind.INTERNAL;
  }

  private String bounded(String value, boolean[] truncated) {
    String out = Bounds.text(redactor.text(value), maxLength);
    if (Bounds.wasTruncated(out)) {
      truncated[0] = true;
    }
    return out;
  }

  /** Everything known when the call starts (the sampler sees these). */
  Attributes start(CallRecord r, Condition condition, RuleSpec rule, boolean lookback) {
    boolean[] truncated = {false};
    AttributesBuilder b = Attributes.builder();
    int family = OsApiOps.familyOf(r.op);
    b.put(CaptureAttributes.FAMILY, OsApiOps.familyName(family));
    b.put(CaptureAttributes.OPERATION, OsApiOps.operationName(r.op));
    b.put(THREAD_NAME, Bounds.text(r.threadName, 256));
    b.put(THREAD_ID, r.threadId);
    b.put(ANALYTIC, AttackTags.ANALYTIC);
    b.put(DATA_COMPONENT, AttackTags.DATA_COMPONENT);
    if (condition != null) {
      b.put(CaptureAttributes.CAPTURE_REASON, condition.name());
      b.put(CaptureAttributes.CAPTURE_KIND, condition.kind().attributeValue());
      b.put(CaptureAttributes.CAPTURE_WINDOW_ID, condition.windowId());
    }
    if (lookback) {
      b.put(CaptureAttributes.LOOKBACK, true);
    }
    if (r.caller != null && r.caller != CallerLocator.SELF) {
      b.put(CODE_FUNCTION, Bounds.text(r.caller.qualifiedMethod(), 512));
      if (r.caller.fileName() != null) {
        b.put(CODE_FILE, r.caller.fileName());
      }
      if (r.caller.line() >= 0) {
        b.put(CODE_LINE, (long) r.caller.line());
      }
    }
    List<String> techniques = AttackTags.techniques(r);
    List<String> otherTags = new ArrayList<>();
    if (rule != null) {
      b.put(RULE, rule.name());
      for (String tag : rule.tags()) {
        if (AttackTags.isTechniqueId(tag)) {
          if (!techniques.contains(tag)) {
            techniques.add(tag);
          }
        } else {
          otherTags.add(tag);
        }
      }
    }
    if (!techniques.isEmpty()) {
      b.put(CaptureAttributes.TECHNIQUE_IDS, techniques);
    }
    if (!otherTags.isEmpty()) {
      b.put(RULE_TAGS, otherTags);
    }
    switch (family) {
      case OsApiOps.FAMILY_PROCESS:
        if (r.op == OsApiOps.PROCESS_EXEC && r.args != null) {
          List<String> redacted = redactor.arguments(Arrays.asList(r.args));
          List<String> boundedArgs = new ArrayList<>(redacted.size());
          int total = 0;
          for (String a : redacted) {
            String v = Bounds.text(a, maxLength);
            if (Bounds.wasTruncated(v)) {
              truncated[0] = true;
            }
            total += v.length();
            if (total > maxLength * 4) {
              truncated[0] = true;
              break;
            }
            boundedArgs.add(v);
          }
          if (r.argCount > boundedArgs.size()) {
            truncated[0] = true;
          }
          b.put(COMMAND_ARGS, boundedArgs);
          b.put(ARGS_COUNT, (long) r.argCount);
          String commandLine = String.join(" ", boundedArgs);
          String boundedLine = Bounds.text(commandLine, maxLength);
          if (Bounds.wasTruncated(boundedLine) || r.argCount > boundedArgs.size()) {
            truncated[0] = true;
            if (!Bounds.wasTruncated(boundedLine)) {
              boundedLine = boundedLine + Bounds.MARK_PREFIX + (r.argCount - boundedArgs.size()) + " args]";
            }
          }
          b.put(COMMAND_LINE, boundedLine);
          if (!redacted.isEmpty()) {
            String exe = bounded(redacted.get(0), truncated);
            b.put(EXECUTABLE_PATH, exe);
            b.put(EXECUTABLE_NAME, AttackTags.baseName(exe));
          }
          if (r.workingDirectory != null) {
            b.put(WORKING_DIRECTORY, bounded(r.workingDirectory, truncated));
          }
        }
        break;
      case OsApiOps.FAMILY_FILE:
        if (r.path != null) {
          b.put(FILE_PATH, bounded(r.path, truncated));
        }
        if (r.targetPath != null) {
          b.put(FILE_TARGET, bounded(r.targetPath, truncated));
        }
        if (r.op == OsApiOps.FILE_OPEN) {
          b.put(FILE_MODE, CallFacts.modeName(r.mode));
          if ((r.mode & OsApiOps.MODE_CREATE_NEW) != 0) {
            b.put(FILE_CREATE, "new");
          } else if ((r.mode & OsApiOps.MODE_CREATE) != 0) {
            b.put(FILE_CREATE, "if_missing");
          }
        }
        if (r.change != null) {
          b.put(FILE_CHANGE, bounded(r.change, truncated));
        }
        break;
      case OsApiOps.FAMILY_NETWORK:
        b.put(TRANSPORT, r.udp ? "udp" : "tcp");
        if (r.op == OsApiOps.NETWORK_BIND) {
          if (r.address != null) {
            b.put(LOCAL_ADDRESS, r.address);
          }
          if (r.port >= 0) {
            b.put(LOCAL_PORT, (long) r.port);
          }
          b.put(LISTEN, r.listen);
        } else if (r.op == OsApiOps.NETWORK_ACCEPT) {
          if (r.address != null) {
            b.put(CLIENT_ADDRESS, r.address);
            b.put(PEER_ADDRESS, r.address);
          }
          if (r.port >= 0) {
            b.put(CLIENT_PORT, (long) r.port);
            b.put(PEER_PORT, (long) r.port);
          }
        } else {
          if (r.host != null) {
            b.put(SERVER_ADDRESS, bounded(r.host, truncated));
          }
          if (r.port >= 0) {
            b.put(SERVER_PORT, (long) r.port);
            b.put(PEER_PORT, (long) r.port);
          }
          if (r.address != null) {
            b.put(PEER_ADDRESS, r.address);
          }
        }
        break;
      case OsApiOps.FAMILY_NATIVE:
        if (r.name != null) {
          b.put(NATIVE_LIBRARY, bounded(r.name, truncated));
        }
        if (r.path != null && r.path.startsWith("/")) {
          b.put(FILE_PATH, bounded(r.path, truncated));
        }
        break;
      case OsApiOps.FAMILY_ENV:
        b.put(ENV_NAME, r.name == null ? "*" : bounded(r.name, truncated));
        break;
      case OsApiOps.FAMILY_JNDI:
        if (r.name != null) {
          b.put(JNDI_NAME, bounded(r.name, truncated));
          String scheme = AttackTags.scheme(r.name);
          if (scheme != null) {
            b.put(JNDI_SCHEME, scheme);
          }
        }
        break;
      case OsApiOps.FAMILY_DESERIALIZATION:
        if (r.name != null) {
          b.put(DESER_CLASS, bounded(r.name, truncated));
        }
        if (r.names != null) {
          List<String> classes = new ArrayList<>(r.names.length);
          for (String c : r.names) {
            classes.add(Bounds.text(c, 512));
          }
          b.put(DESER_CLASSES, classes);
          b.put(DESER_CLASS_COUNT, (long) r.nameCount);
          if (r.nameCount > r.names.length) {
            truncated[0] = true;
          }
        }
        break;
      case OsApiOps.FAMILY_CODE:
        if (r.op == OsApiOps.CODE_EVAL) {
          if (r.name != null) {
            b.put(CODE_ENGINE, bounded(r.name, truncated));
          }
          if (r.detailLength >= 0) {
            b.put(CODE_SCRIPT_LENGTH, r.detailLength);
          }
          if (r.detailText != null) {
            String prefix = Bounds.text(redactor.text(r.detailText), CallRecord.SCRIPT_PREFIX);
            if (r.detailLength > CallRecord.SCRIPT_PREFIX) {
              prefix = prefix + Bounds.MARK_PREFIX + (r.detailLength - CallRecord.SCRIPT_PREFIX) + " chars]";
              truncated[0] = true;
            }
            b.put(CODE_SCRIPT_PREFIX, prefix);
          }
        } else if (r.op == OsApiOps.CODE_DEFINE_CLASS) {
          if (r.name != null) {
            b.put(CODE_CLASS, bounded(r.name, truncated));
          }
          b.put(CODE_HIDDEN, r.detailLength == 1);
        } else if (r.op == OsApiOps.CODE_ATTACH) {
          if (r.name != null) {
            b.put(ATTACH_TARGET, bounded(r.name, truncated));
          }
        } else if (r.op == OsApiOps.CODE_LOAD_AGENT) {
          if (r.name != null) {
            b.put(ATTACH_AGENT, bounded(r.name, truncated));
          }
          if (r.detailText != null) {
            b.put(ATTACH_METHOD, r.detailText);
          }
        }
        break;
      case OsApiOps.FAMILY_DNS:
        if (r.name != null) {
          b.put(DNS_NAME, bounded(r.name, truncated));
        }
        break;
      default:
        break;
    }
    if (truncated[0]) {
      b.put(TRUNCATED, true);
    }
    return b.build();
  }

  /** What is known once the call returned or threw. */
  void end(CallRecord r, Span span) {
    if (r.childPid >= 0) {
      span.setAttribute(PID, r.childPid);
    }
    if (r.op == OsApiOps.DNS_RESOLVE && r.resultText != null) {
      span.setAttribute(DNS_ANSWERS, List.of(r.resultText.split(",")));
    } else if (r.resultValue != Long.MIN_VALUE) {
      if (r.op == OsApiOps.PROCESS_EXEC) {
        span.setAttribute(PID, r.resultValue);
      } else if (r.op == OsApiOps.PROCESS_WAIT || r.op == OsApiOps.PROCESS_EXIT || r.op == OsApiOps.PROCESS_HALT) {
        span.setAttribute(EXIT_CODE, r.resultValue);
      }
    }
    if (r.localPort > 0 && r.op != OsApiOps.NETWORK_BIND) {
      span.setAttribute(LOCAL_PORT, (long) r.localPort);
      if (r.localAddress != null) {
        span.setAttribute(LOCAL_ADDRESS, r.localAddress);
      }
    } else if (r.op == OsApiOps.NETWORK_BIND && r.localPort > 0) {
      span.setAttribute(LOCAL_PORT, (long) r.localPort);
    }
    if (r.errorType != null) {
      String message = r.errorMessage == null ? "" : Bounds.text(redactor.text(r.errorMessage), maxLength);
      span.setStatus(StatusCode.ERROR, message.isEmpty() ? r.errorType : message);
      span.setAttribute(ERROR_TYPE, r.errorType);
      // The exception's type and message, without its stack trace: bounded, and the stack is the application's.
      span.addEvent(
          "exception",
          Attributes.of(EXCEPTION_TYPE, r.errorType, EXCEPTION_MESSAGE, message),
          r.endNanos,
          java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }
}
