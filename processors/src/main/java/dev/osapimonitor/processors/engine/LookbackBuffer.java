package dev.osapimonitor.processors.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/**
 * A fixed-size ring of recent call records, kept while nothing is being captured so that a trigger can export what
 * happened before it. Writers never block and never allocate beyond the record itself: a slot is claimed with one
 * atomic increment and overwritten when the ring wraps (count bound); records older than the age bound are skipped
 * when read and overwritten in time.
 */
final class LookbackBuffer {

  private final AtomicReferenceArray<CallRecord> ring;
  private final int capacity;
  private final long maxAgeNanos;
  private final AtomicLong next = new AtomicLong();

  LookbackBuffer(int capacity, long maxAgeNanos) {
    this.capacity = capacity;
    this.ring = new AtomicReferenceArray<>(capacity);
    this.maxAgeNanos = maxAgeNanos;
  }

  int capacity() {
    return capacity;
  }

  long maxAgeNanos() {
    return maxAgeNanos;
  }

  void add(CallRecord record) {
    long slot = next.getAndIncrement();
    ring.lazySet((int) (slot % capacity), record);
  }

  /** Records added since start. */
  long recorded() {
    return next.get();
  }

  /** Records currently held and not older than the age bound. */
  int size(long nowNanos) {
    int n = 0;
    for (int i = 0; i < capacity; i++) {
      CallRecord r = ring.get(i);
      if (r != null && nowNanos - r.startNanos <= maxAgeNanos) {
        n++;
      }
    }
    return n;
  }

  /**
   * The not-yet-exported records that started at or after {@code sinceNanos} (and within the age bound) and match
   * {@code scope}, oldest first. Marks them exported so that a second trigger does not export them twice.
   */
  List<CallRecord> drain(long sinceNanos, long nowNanos, Predicate<CallRecord> scope) {
    long from = Math.max(sinceNanos, nowNanos - maxAgeNanos);
    List<CallRecord> out = new ArrayList<>();
    long end = next.get();
    long begin = Math.max(0, end - capacity);
    for (long slot = begin; slot < end; slot++) {
      CallRecord r = ring.get((int) (slot % capacity));
      if (r == null || r.exported || r.startNanos < from || !scope.test(r)) {
        continue;
      }
      synchronized (r) {
        if (r.exported) {
          continue;
        }
        r.exported = true;
      }
      out.add(r);
    }
    out.sort((a, b) -> Long.compare(a.startNanos, b.startNanos));
    return out;
  }

  /** Copies the newest records into a buffer with other bounds (after a policy reload). */
  LookbackBuffer resized(int newCapacity, long newMaxAgeNanos) {
    LookbackBuffer copy = new LookbackBuffer(newCapacity, newMaxAgeNanos);
    long end = next.get();
    long begin = Math.max(0, end - Math.min(capacity, newCapacity));
    for (long slot = begin; slot < end; slot++) {
      CallRecord r = ring.get((int) (slot % capacity));
      if (r != null) {
        copy.add(r);
      }
    }
    return copy;
  }
}
