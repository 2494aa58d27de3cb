package io.portcullis.monitor;

import static java.util.Objects.requireNonNull;

import io.portcullis.document.Context;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The activity counters of one identity, or of one identity on one target: a one-minute window in
 * 5 s steps, a one-hour window in 5 min steps, and the tables touched with when they were last.
 * When gateways share their activity, the counts add what the others published last.
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
  /** The other gateways' counts, when gateways share their activity; replaced at each read. */
  private volatile PeerCounts peers = PeerCounts.NONE;

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

  private static void countTable(long at, long nowMillis, long[] distinct) {
    if (at > nowMillis - HOUR_MS) {
      distinct[1]++;
      if (at > nowMillis - MINUTE_MS) {
        distinct[0]++;
      }
    }
  }

  /** This gateway's buckets of the minute window (if {@code minuteWindow}) or the hour window since {@code fromStep}. */
  void forEachSince(long nowMillis, boolean minuteWindow, long fromStep, BucketRing.BucketVisitor visitor) {
    (minuteWindow ? minute : hour).forEachSince(nowMillis, fromStep, visitor);
  }

  /** The tables this gateway saw touched at or after {@code sinceMillis}, with when. */
  Map<String, Long> tablesSince(long sinceMillis) {
    Map<String, Long> out = new java.util.HashMap<>();
    tables.forEach((name, at) -> {
      if (at >= sinceMillis) {
        out.put(name, at);
      }
    });
    return out;
  }

  /** Replaces the other gateways' counts with what they published last. */
  void peers(PeerCounts latest) {
    peers = requireNonNull(latest, "latest");
  }

  Context.Counts counts(long nowMillis) {
    long[] m = new long[BucketRing.FIELDS];
    long[] h = new long[BucketRing.FIELDS];
    minute.sum(nowMillis, m);
    hour.sum(nowMillis, h);
    PeerCounts others = peers;
    PeerCounts.sum(others.minute(), nowMillis, MINUTE_STEP_MS, MINUTE_STEPS, m);
    PeerCounts.sum(others.hour(), nowMillis, HOUR_STEP_MS, HOUR_STEPS, h);
    // A table both this and another gateway saw counts once, at the later of the two times.
    Map<String, Long> peerTables = others.tables();
    long[] distinct = new long[2];
    tables.forEach((name, here) -> {
      Long there = peerTables.get(name);
      countTable(there == null ? here : Math.max(here, there), nowMillis, distinct);
    });
    peerTables.forEach((name, there) -> {
      if (!tables.containsKey(name)) {
        countTable(there, nowMillis, distinct);
      }
    });
    long tablesMinute = distinct[0];
    long tablesHour = distinct[1];
    return new Context.Counts(m[BucketRing.REQUESTS], m[BucketRing.ROWS], h[BucketRing.REQUESTS],
        h[BucketRing.ROWS], m[BucketRing.WRITES], h[BucketRing.WRITES], m[BucketRing.DENIED],
        h[BucketRing.DENIED], m[BucketRing.BYTES], h[BucketRing.BYTES], tablesMinute, tablesHour);
  }
}
