package dev.osapimonitor.processors.engine;

import dev.osapimonitor.processors.policy.RateLimit;

/** A token bucket per rule. Only consulted for calls that would otherwise be captured. */
final class RateLimiter {

  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;

  RateLimiter(RateLimit limit) {
    this.perNano = limit.perSecond() / 1e9;
    this.burst = limit.burst();
    this.tokens = limit.burst();
    this.last = System.nanoTime();
  }

  synchronized boolean tryAcquire() {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
