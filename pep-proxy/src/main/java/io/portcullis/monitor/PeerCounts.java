package io.portcullis.monitor;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * What the other gateways sharing the state database last published for one identity (or one
 * identity on one target): their buckets by step, and the tables they saw touched. Immutable; a
 * scope swaps in a new one at each read, and its windows age it out as the local counters age.
 *
 * @param minute one-minute-window buckets ({@link ActivityScope#MINUTE_STEP_MS} steps)
 * @param hour one-hour-window buckets ({@link ActivityScope#HOUR_STEP_MS} steps)
 * @param tables table name to when another gateway last saw it touched (millis)
 */
record PeerCounts(List<Bucket> minute, List<Bucket> hour, Map<String, Long> tables) {

  /** Nothing from other gateways. */
  static final PeerCounts NONE = new PeerCounts(List.of(), List.of(), Map.of());

  PeerCounts {
    minute = List.copyOf(minute);
    hour = List.copyOf(hour);
    tables = Map.copyOf(tables);
  }

  /**
   * The sum of the other gateways' counters in one step.
   *
   * @param step the step number (millis / step length)
   * @param counts the counters, indexed as {@link BucketRing}'s fields
   */
  record Bucket(long step, long[] counts) {
    Bucket {
      requireNonNull(counts, "counts");
      if (counts.length != BucketRing.FIELDS) {
        throw new IllegalArgumentException("counts: " + counts.length + " (expected: " + BucketRing.FIELDS + ")");
      }
    }
  }

  /** Adds the counters of the buckets in the window of {@code steps} steps ending now to {@code out}. */
  static void sum(List<Bucket> buckets, long nowMillis, long stepMillis, int steps, long[] out) {
    long step = nowMillis / stepMillis;
    for (Bucket b : buckets) {
      if (b.step() > step - steps && b.step() <= step) {
        for (int f = 0; f < BucketRing.FIELDS; f++) {
          out[f] += b.counts()[f];
        }
      }
    }
  }
}
