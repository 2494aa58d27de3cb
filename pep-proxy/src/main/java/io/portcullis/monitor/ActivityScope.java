package io.portcullis.monitor;

import io.portcullis.document.Context;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The activity counters of one identity, or of one identity on one target: a one-minute window in
 * 5 s steps, a one-hour window in 5 min steps, and the tables touched with when they were last.
 */
final class ActivityScope {

  static final long MINUTE_STEP_MS = 5_000;
  static final int MINUTE_STEPS = 12;
  static final long HOUR_STEP_MS = 300_000;
  static final int HOUR_STEPS = 12;
  private static final long HOUR_MS = 3_600_000;
  private static final long MINUTE_MS = 60_000;

  private final BucketRing minute = new BucketRing(MINUTE_STEP_MS, MINUTE_STEPS);
  private final BucketRing hour = new BucketRing(HOUR_STEP_MS, HOUR_STEPS);
  /** Table name to when it was last touched (millis); at most maxTables entries. */
  private final ConcurrentHashMap<String, Long> tables = new ConcurrentHashMap<>();
  private final int maxTables;

  ActivityScope(int maxTables) {
    this.maxTables = maxTables;
  }

  void add(long nowMillis, int field, long n) {
    minute.add(nowMillis, field, n);
    hour.add(nowMillis, field, n);
  }

  /** Notes that these tables were touched now. */
  void touched(long nowMillis, Collection<String> names) {
    for (String name : names) {
      if (tables.size() >= maxTables && !tables.containsKey(name)) {
        tables.values().removeIf(at -> at <= nowMillis - HOUR_MS);
        if (tables.size() >= maxTables) {
          continue; // Full of tables touched within the hour: the count stays at the cap.
        }
      }
      tables.put(name, nowMillis);
    }
  }

  Context.Counts counts(long nowMillis) {
    long[] m = new long[BucketRing.FIELDS];
    long[] h = new long[BucketRing.FIELDS];
    minute.sum(nowMillis, m);
    hour.sum(nowMillis, h);
    long tablesMinute = 0;
    long tablesHour = 0;
    for (long at : tables.values()) {
      if (at > nowMillis - HOUR_MS) {
        tablesHour++;
        if (at > nowMillis - MINUTE_MS) {
          tablesMinute++;
        }
      }
    }
    return new Context.Counts(m[BucketRing.REQUESTS], m[BucketRing.ROWS], h[BucketRing.REQUESTS],
        h[BucketRing.ROWS], m[BucketRing.WRITES], h[BucketRing.WRITES], m[BucketRing.DENIED],
        h[BucketRing.DENIED], m[BucketRing.BYTES], h[BucketRing.BYTES], tablesMinute, tablesHour);
  }
}
