package dev.osapimonitor.exporter.correlation;

import io.opentelemetry.api.common.Attributes;

/**
 * The identity of one capture window (one activation of a flag, time window or trigger), as the correlation needs
 * it: an id, the reason and kind for the root span's name and attributes, and extra attributes (owner, ticket).
 */
public record CaptureWindow(String id, String reason, String kind, Attributes attributes) {}
