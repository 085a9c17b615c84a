package dev.osapimonitor.processors.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Suppresses a call identical to one captured less than {@code windowNanos} ago (same operation, subject and
 * thread-independent details). Remembers at most {@value #MAX_KEYS} distinct calls, oldest forgotten first.
 */
final class Deduplicator {

  static final int MAX_KEYS = 10_000;

  private final long windowNanos;
  private final Map<String, Long> lastSeen =
      new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > MAX_KEYS;
        }
      };

  Deduplicator(long windowNanos) {
    this.windowNanos = windowNanos;
  }

  /** True when the call should be kept (first in its window). */
  synchronized boolean admit(String key) {
    long now = System.nanoTime();
    Long last = lastSeen.get(key);
    if (last != null && now - last < windowNanos) {
      return false;
    }
    lastSeen.put(key, now);
    return true;
  }
}
