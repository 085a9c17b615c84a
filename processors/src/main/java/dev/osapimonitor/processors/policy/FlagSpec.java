package dev.osapimonitor.processors.policy;

import java.time.Duration;
import java.time.Instant;

/**
 * A named reason to capture, with who asked for it, why, and until when. Exactly one of {@code expires} (an
 * instant, or {@code null} for {@code never}) and {@code ttl} is set.
 */
public record FlagSpec(
    String name,
    String reason,
    String owner,
    String ticket,
    Instant expires,
    Duration ttl,
    boolean never,
    Coverage coverage,
    int line) {}
