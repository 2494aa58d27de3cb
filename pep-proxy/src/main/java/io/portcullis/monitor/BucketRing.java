package io.portcullis.monitor;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A sliding window of counters in fixed time steps: a ring of buckets, one per step, each holding
 * {@value #FIELDS} counters. Lock-free: a bucket whose step is over is replaced by a fresh one
 * with one compare-and-set, and counting is an atomic add into the current bucket.
 *
 * <p>An add can be lost only by a thread that read the current bucket and then stalled for a
 * whole window before adding to it; a sum reads each bucket once, so it may miss adds that race
 * with it, never count one twice.
 */
final class BucketRing {

  static final int REQUESTS = 0;
  static final int WRITES = 1;
  static final int DENIED = 2;
  static final int ROWS = 3;
  static final int BYTES = 4;
  static final int FIELDS = 5;

  private static final class Bucket {
    final long step;
    final AtomicLongArray counts = new AtomicLongArray(FIELDS);

    Bucket(long step) {
      this.step = step;
    }
  }

  private final long stepMillis;
  private final AtomicReferenceArray<Bucket> slots;

  /**
   * @param stepMillis the length of one step
   * @param steps how many steps the window spans
   */
  BucketRing(long stepMillis, int steps) {
    if (stepMillis <= 0 || steps <= 0) {
      throw new IllegalArgumentException("stepMillis: " + stepMillis + ", steps: " + steps
          + " (expected: both > 0)");
    }
    this.stepMillis = stepMillis;
    this.slots = new AtomicReferenceArray<>(steps);
  }

  /** Adds {@code n} to counter {@code field} at time {@code nowMillis}. */
  void add(long nowMillis, int field, long n) {
    if (n != 0) {
      bucket(nowMillis / stepMillis).counts.addAndGet(field, n);
    }
  }

  private Bucket bucket(long step) {
    int i = (int) Math.floorMod(step, (long) slots.length());
    while (true) {
      Bucket b = slots.get(i);
      if (b != null && b.step >= step) {
        return b; // A clock that went back a little counts into the newer bucket.
      }
      Bucket fresh = new Bucket(step);
      if (slots.compareAndSet(i, b, fresh)) {
        return fresh;
      }
    }
  }

  /** Adds each counter's sum over the window that ends at {@code nowMillis} to {@code out}. */
  void sum(long nowMillis, long[] out) {
    long step = nowMillis / stepMillis;
    long oldest = step - slots.length();
    for (int i = 0; i < slots.length(); i++) {
      Bucket b = slots.get(i);
      if (b != null && b.step > oldest && b.step <= step) {
        for (int f = 0; f < FIELDS; f++) {
          out[f] += b.counts.get(f);
        }
      }
    }
  }

  /** The length of one step. */
  long stepMillis() {
    return stepMillis;
  }

  /** What {@link #forEachSince} hands over: one bucket's step and counters. */
  interface BucketVisitor {
    void bucket(long step, long[] counts);
  }

  /**
   * Visits every bucket of the window ending at {@code nowMillis} whose step is {@code fromStep}
   * or later, with a copy of its counters.
   */
  void forEachSince(long nowMillis, long fromStep, BucketVisitor visitor) {
    long step = nowMillis / stepMillis;
    long oldest = step - slots.length();
    for (int i = 0; i < slots.length(); i++) {
      Bucket b = slots.get(i);
      if (b != null && b.step > oldest && b.step <= step && b.step >= fromStep) {
        long[] counts = new long[FIELDS];
        for (int f = 0; f < FIELDS; f++) {
          counts[f] = b.counts.get(f);
        }
        visitor.bucket(b.step, counts);
      }
    }
  }

  /** Whether any bucket of the window ending at {@code nowMillis} has counts. */
  boolean active(long nowMillis) {
    long step = nowMillis / stepMillis;
    for (int i = 0; i < slots.length(); i++) {
      Bucket b = slots.get(i);
      if (b != null && b.step > step - slots.length()) {
        return true;
      }
    }
    return false;
  }
}
