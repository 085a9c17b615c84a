package dev.osapimonitor.processors.policy;

/** A token bucket: {@code perSecond} calls per second on average, bursts of up to {@code burst}. */
public record RateLimit(double perSecond, int burst) {}
