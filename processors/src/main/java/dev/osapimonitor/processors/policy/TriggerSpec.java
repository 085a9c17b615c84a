package dev.osapimonitor.processors.policy;

import java.time.Duration;

/** What a {@code trigger} rule raises: a flag named {@code flag} for {@code ttl}, and how far to look back. */
public record TriggerSpec(String flag, Duration ttl, Scope scope, Duration lookback) {}
