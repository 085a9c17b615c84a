package dev.osapimonitor.extension;

import dev.osapimonitor.exporter.correlation.CaptureAttributes;
import dev.osapimonitor.processors.engine.Redactor;
import dev.osapimonitor.processors.identity.ProcessIdentity;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;

/**
 * Process and user identity of the monitored JVM on the resource, so every exported span carries it: pid, parent
 * pid, executable, command line (redacted — the agent's own process detector would export it raw), owner and
 * numeric ids, host, container, and the SHA-256 of the policy in force at start.
 */
final class IdentityResource {

  static final AttributeKey<Long> PID = AttributeKey.longKey("process.pid");
  static final AttributeKey<Long> PARENT_PID = AttributeKey.longKey("process.parent_pid");
  static final AttributeKey<String> EXECUTABLE = AttributeKey.stringKey("process.executable.path");
  static final AttributeKey<String> COMMAND_LINE = AttributeKey.stringKey("process.command_line");
  static final AttributeKey<List<String>> COMMAND_ARGS = AttributeKey.stringArrayKey("process.command_args");
  static final AttributeKey<String> COMMAND = AttributeKey.stringKey("process.command");
  static final AttributeKey<String> OWNER = AttributeKey.stringKey("process.owner");
  static final AttributeKey<String> USER_NAME = AttributeKey.stringKey("process.user.name");
  static final AttributeKey<Long> USER_ID = AttributeKey.longKey("process.user.id");
  static final AttributeKey<Long> REAL_USER_ID = AttributeKey.longKey("process.real_user.id");
  static final AttributeKey<Long> GROUP_ID = AttributeKey.longKey("process.real_group.id");
  static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
  static final AttributeKey<String> CONTAINER_ID = AttributeKey.stringKey("container.id");
  static final AttributeKey<String> MONITOR_VERSION = AttributeKey.stringKey("osapi.monitor.version");

  private IdentityResource() {}

  static Resource customize(Resource resource, ProcessIdentity id, String policySha256) {
    Redactor redactor = Redactor.builtIn();
    List<String> args = redactor.arguments(id.commandArgs());
    AttributesBuilder b = Attributes.builder();
    b.put(PID, id.pid());
    if (id.parentPid() >= 0) {
      b.put(PARENT_PID, id.parentPid());
    }
    if (id.executable() != null) {
      b.put(EXECUTABLE, id.executable());
    }
    if (!args.isEmpty()) {
      b.put(COMMAND_ARGS, args);
      b.put(COMMAND_LINE, String.join(" ", args));
    }
    if (id.userName() != null && !id.userName().isEmpty()) {
      b.put(OWNER, id.userName());
      b.put(USER_NAME, id.userName());
    }
    if (id.effectiveUid() >= 0) {
      b.put(USER_ID, id.effectiveUid());
    }
    if (id.realUid() >= 0) {
      b.put(REAL_USER_ID, id.realUid());
    }
    if (id.realGid() >= 0) {
      b.put(GROUP_ID, id.realGid());
    }
    if (id.hostName() != null && resource.getAttribute(HOST_NAME) == null) {
      b.put(HOST_NAME, id.hostName());
    }
    if (id.containerId() != null && resource.getAttribute(CONTAINER_ID) == null) {
      b.put(CONTAINER_ID, id.containerId());
    }
    if (policySha256 != null && !policySha256.isEmpty()) {
      b.put(CaptureAttributes.POLICY_SHA256, policySha256);
    }
    b.put(MONITOR_VERSION, dev.osapimonitor.processors.engine.EngineVersion.VERSION);
    // Replace, never add to, what other detectors put there: their command lines are not redacted.
    Resource withoutRaw =
        Resource.create(
            resource.getAttributes().toBuilder()
                .removeIf(k -> k.getKey().equals(COMMAND_ARGS.getKey())
                    || k.getKey().equals(COMMAND_LINE.getKey())
                    || k.getKey().equals(COMMAND.getKey()))
                .build(),
            resource.getSchemaUrl());
    return withoutRaw.merge(Resource.create(b.build()));
  }
}
