package io.portcullis.monitor;

import static java.util.Objects.requireNonNull;

import io.portcullis.audit.PostgresAuditSettings;
import io.portcullis.audit.PostgresConnection;
import io.portcullis.document.Context;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares activity counters between gateways through PostgreSQL (schema {@code portcullis_state}
 * in the audit database), so that {@code input.context.stats} counts what an identity did through
 * every gateway.
 *
 * <p>Every {@code monitoring.share_interval_ms} each gateway publishes, under its own name, the
 * buckets of its counters that changed since it last did (absolute values, so a retry changes
 * nothing), the tables it saw touched and the sources it saw; then it reads what the others
 * published for the identities it has sessions of or saw in the last minute, and the sources of
 * every identity. Its own counts are live; the others' are at most about two intervals old. With
 * the database unreachable it goes on with its own counts plus the others' last ones, which age
 * out with their windows.
 */
public final class SharedActivity implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SharedActivity.class);
  private static final String ALL_TARGETS = "";
  private static final long CLEANUP_EVERY_MS = 60_000;
  private static final List<String> SCHEMA = List.of(
      "CREATE SCHEMA IF NOT EXISTS portcullis_state",
      """
      CREATE TABLE IF NOT EXISTS portcullis_state.activity (
        identity text   NOT NULL,
        target   text   NOT NULL,               -- '' for the identity on every target
        step_ms  bigint NOT NULL,               -- 5000 (minute window) or 300000 (hour window)
        step     bigint NOT NULL,               -- epoch millis / step_ms
        instance text   NOT NULL,               -- the gateway that counted (audit.postgres.chain)
        requests bigint NOT NULL, writes bigint NOT NULL, denied bigint NOT NULL,
        rows     bigint NOT NULL, bytes bigint NOT NULL,
        PRIMARY KEY (identity, target, step_ms, step, instance))""",
      """
      CREATE TABLE IF NOT EXISTS portcullis_state.activity_tables (
        identity   text   NOT NULL,
        target     text   NOT NULL,
        table_name text   NOT NULL,
        instance   text   NOT NULL,
        last_at    bigint NOT NULL,             -- epoch millis
        PRIMARY KEY (identity, target, table_name, instance))""",
      """
      CREATE TABLE IF NOT EXISTS portcullis_state.activity_sources (
        identity   text        NOT NULL,
        ip         text        NOT NULL,
        first_seen timestamptz NOT NULL,
        last_seen  timestamptz NOT NULL,
        PRIMARY KEY (identity, ip))""",
      "CREATE INDEX IF NOT EXISTS activity_sources_seen ON portcullis_state.activity_sources (last_seen)");

  private final ActivityTracker tracker;
  private final PostgresAuditSettings settings;
  private final PostgresConnection db;
  private final String instance;
  private final LongSupplier clock;
  private final long identityIdleMs;
  private final ScheduledExecutorService timer;
  /** Sources of identities this gateway has not tracked yet, from the others; bounded. */
  private final Map<String, List<Context.SourceSeen>> knownSources = new ConcurrentHashMap<>();
  private final int maxKnownIdentities;
  private long publishedThrough;
  private Timestamp sourcesReadThrough = new Timestamp(0);
  private long nextCleanup;
  private volatile long lastSyncMillis;
  private volatile String problem = "not synchronised yet";

  private SharedActivity(ActivityTracker tracker, PostgresAuditSettings settings, String password,
      MonitoringSettings monitoring, LongSupplier clock) {
    this.tracker = tracker;
    this.settings = settings;
    this.db = new PostgresConnection(settings, password, "portcullis-activity", SCHEMA);
    this.instance = settings.chain();
    this.clock = clock;
    this.identityIdleMs = monitoring.identityIdleS() * 1000L;
    this.maxKnownIdentities = monitoring.maxIdentities();
    this.timer = Executors.newSingleThreadScheduledExecutor(
        r -> Thread.ofPlatform().daemon().name("activity-share").unstarted(r));
  }

  /**
   * Starts sharing {@code tracker}'s counters with the other gateways using the database of
   * {@code settings}, under this gateway's chain name, every {@code monitoring.share_interval_ms}.
   */
  public static SharedActivity start(ActivityTracker tracker, PostgresAuditSettings settings,
      String password, MonitoringSettings monitoring, LongSupplier clock) {
    SharedActivity shared = new SharedActivity(requireNonNull(tracker, "tracker"),
        requireNonNull(settings, "settings"), password, requireNonNull(monitoring, "monitoring"),
        requireNonNull(clock, "clock"));
    tracker.peerSources(shared::sourcesOf);
    long every = monitoring.shareIntervalMs();
    shared.timer.scheduleWithFixedDelay(shared::syncQuietly, 0, every, TimeUnit.MILLISECONDS);
    return shared;
  }

  /** When the last exchange with the database succeeded (epoch millis), 0 before the first. */
  public long lastSyncMillis() {
    return lastSyncMillis;
  }

  /** Why the last exchange failed, or null when it succeeded. */
  public String problem() {
    return problem;
  }

  private List<Context.SourceSeen> sourcesOf(String identityKey) {
    return knownSources.getOrDefault(identityKey, List.of());
  }

  private void syncQuietly() {
    try {
      sync();
      if (problem != null) {
        log.info("activity shared with the other gateways through {}", settings.jdbcUrl());
      }
      problem = null;
      lastSyncMillis = clock.getAsLong();
    } catch (SQLException | RuntimeException e) {
      db.drop();
      if (problem == null || "not synchronised yet".equals(problem)) {
        log.warn("activity not shared with the other gateways ({}); going on with this gateway's own"
            + " counts", e.getMessage());
      }
      problem = e.getMessage();
    }
  }

  /** Publishes this gateway's changes, then reads the others'. */
  void sync() throws SQLException {
    long now = clock.getAsLong();
    Connection c = db.get();
    c.setAutoCommit(false);
    try {
      publish(c, now);
      c.commit();
    } finally {
      c.setAutoCommit(true);
    }
    read(c, now);
    if (now >= nextCleanup) {
      cleanup(c, now);
      nextCleanup = now + CLEANUP_EVERY_MS;
    }
  }

  private void publish(Connection c, long now) throws SQLException {
    long since = publishedThrough;
    try (PreparedStatement buckets = c.prepareStatement("""
            INSERT INTO portcullis_state.activity
              (identity, target, step_ms, step, instance, requests, writes, denied, rows, bytes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (identity, target, step_ms, step, instance) DO UPDATE SET
              requests = excluded.requests, writes = excluded.writes, denied = excluded.denied,
              rows = excluded.rows, bytes = excluded.bytes""");
        PreparedStatement tables = c.prepareStatement("""
            INSERT INTO portcullis_state.activity_tables (identity, target, table_name, instance, last_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (identity, target, table_name, instance) DO UPDATE SET
              last_at = greatest(portcullis_state.activity_tables.last_at, excluded.last_at)""");
        PreparedStatement sources = c.prepareStatement("""
            INSERT INTO portcullis_state.activity_sources (identity, ip, first_seen, last_seen)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (identity, ip) DO UPDATE SET
              first_seen = least(portcullis_state.activity_sources.first_seen, excluded.first_seen),
              last_seen = greatest(portcullis_state.activity_sources.last_seen, excluded.last_seen)""")) {
      for (IdentityActivity identity : tracker.identities()) {
        if (identity.lastActiveMillis < since - ActivityScope.MINUTE_STEP_MS && since > 0) {
          continue; // nothing counted since the last publication
        }
        publishScope(buckets, tables, identity.key, ALL_TARGETS, identity.all, since, now);
        for (Map.Entry<String, ActivityScope> target : identity.targets().entrySet()) {
          publishScope(buckets, tables, identity.key, target.getKey(), target.getValue(), since, now);
        }
        for (Context.SourceSeen seen : identity.sourcesSince(since)) {
          sources.setString(1, identity.key);
          sources.setString(2, seen.ip());
          sources.setTimestamp(3, Timestamp.from(seen.firstSeen()));
          sources.setTimestamp(4, Timestamp.from(seen.lastSeen()));
          sources.addBatch();
        }
      }
      buckets.executeBatch();
      tables.executeBatch();
      sources.executeBatch();
    }
    publishedThrough = now;
  }

  private void publishScope(PreparedStatement buckets, PreparedStatement tables, String identity,
      String target, ActivityScope scope, long since, long now) throws SQLException {
    for (boolean minuteWindow : new boolean[] {true, false}) {
      long stepMs = minuteWindow ? ActivityScope.MINUTE_STEP_MS : ActivityScope.HOUR_STEP_MS;
      SQLException[] failed = {null};
      scope.forEachSince(now, minuteWindow, since / stepMs, (step, counts) -> {
        try {
          buckets.setString(1, identity);
          buckets.setString(2, target);
          buckets.setLong(3, stepMs);
          buckets.setLong(4, step);
          buckets.setString(5, instance);
          buckets.setLong(6, counts[BucketRing.REQUESTS]);
          buckets.setLong(7, counts[BucketRing.WRITES]);
          buckets.setLong(8, counts[BucketRing.DENIED]);
          buckets.setLong(9, counts[BucketRing.ROWS]);
          buckets.setLong(10, counts[BucketRing.BYTES]);
          buckets.addBatch();
        } catch (SQLException e) {
          failed[0] = e;
        }
      });
      if (failed[0] != null) {
        throw failed[0];
      }
    }
    for (Map.Entry<String, Long> touched : scope.tablesSince(since).entrySet()) {
      tables.setString(1, identity);
      tables.setString(2, target);
      tables.setString(3, touched.getKey());
      tables.setString(4, instance);
      tables.setLong(5, touched.getValue());
      tables.addBatch();
    }
  }

  private void read(Connection c, long now) throws SQLException {
    Map<String, IdentityActivity> live = new HashMap<>();
    for (IdentityActivity identity : tracker.identities()) {
      // Those with a session now, and those active in the last minute (HTTP requests are short).
      if (identity.openSessions.get() > 0 || identity.lastActiveMillis > now - 60_000) {
        live.put(identity.key, identity);
      }
    }
    readSources(c);
    if (live.isEmpty()) {
      return;
    }
    Map<String, Map<String, List<PeerCounts.Bucket>[]>> buckets = new HashMap<>();
    try (PreparedStatement st = c.prepareStatement("""
            SELECT identity, target, step_ms, step, sum(requests), sum(writes), sum(denied), sum(rows), sum(bytes)
            FROM portcullis_state.activity
            WHERE identity = ANY (?) AND instance <> ?
              AND ((step_ms = ? AND step > ?) OR (step_ms = ? AND step > ?))
            GROUP BY identity, target, step_ms, step""")) {
      st.setArray(1, c.createArrayOf("text", live.keySet().toArray()));
      st.setString(2, instance);
      st.setLong(3, ActivityScope.MINUTE_STEP_MS);
      st.setLong(4, now / ActivityScope.MINUTE_STEP_MS - ActivityScope.MINUTE_STEPS);
      st.setLong(5, ActivityScope.HOUR_STEP_MS);
      st.setLong(6, now / ActivityScope.HOUR_STEP_MS - ActivityScope.HOUR_STEPS);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          long[] counts = new long[BucketRing.FIELDS];
          counts[BucketRing.REQUESTS] = rs.getLong(5);
          counts[BucketRing.WRITES] = rs.getLong(6);
          counts[BucketRing.DENIED] = rs.getLong(7);
          counts[BucketRing.ROWS] = rs.getLong(8);
          counts[BucketRing.BYTES] = rs.getLong(9);
          @SuppressWarnings("unchecked")
          List<PeerCounts.Bucket>[] windows = buckets.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
              .computeIfAbsent(rs.getString(2), k -> new List[] {new ArrayList<>(), new ArrayList<>()});
          windows[rs.getLong(3) == ActivityScope.MINUTE_STEP_MS ? 0 : 1]
              .add(new PeerCounts.Bucket(rs.getLong(4), counts));
        }
      }
    }
    Map<String, Map<String, Map<String, Long>>> tables = new HashMap<>();
    try (PreparedStatement st = c.prepareStatement("""
            SELECT identity, target, table_name, max(last_at) FROM portcullis_state.activity_tables
            WHERE identity = ANY (?) AND instance <> ? AND last_at > ?
            GROUP BY identity, target, table_name""")) {
      st.setArray(1, c.createArrayOf("text", live.keySet().toArray()));
      st.setString(2, instance);
      st.setLong(3, now - 3_600_000);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          tables.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
              .computeIfAbsent(rs.getString(2), k -> new HashMap<>())
              .put(rs.getString(3), rs.getLong(4));
        }
      }
    }
    for (IdentityActivity identity : live.values()) {
      var byTarget = buckets.getOrDefault(identity.key, Map.of());
      var tablesByTarget = tables.getOrDefault(identity.key, Map.of());
      identity.all.peers(peers(byTarget.get(ALL_TARGETS), tablesByTarget.get(ALL_TARGETS)));
      for (Map.Entry<String, ActivityScope> target : identity.targets().entrySet()) {
        target.getValue().peers(peers(byTarget.get(target.getKey()), tablesByTarget.get(target.getKey())));
      }
    }
  }

  private static PeerCounts peers(List<PeerCounts.Bucket>[] windows, Map<String, Long> tables) {
    if (windows == null && tables == null) {
      return PeerCounts.NONE;
    }
    return new PeerCounts(windows == null ? List.of() : windows[0], windows == null ? List.of() : windows[1],
        tables == null ? Map.of() : tables);
  }

  /** Reads the sources seen since the last read, by any gateway, a second of overlap included. */
  private void readSources(Connection c) throws SQLException {
    Map<String, List<Context.SourceSeen>> fresh = new HashMap<>();
    Timestamp through = sourcesReadThrough;
    try (PreparedStatement st = c.prepareStatement("""
            SELECT identity, ip, first_seen, last_seen FROM portcullis_state.activity_sources
            WHERE last_seen > ? ORDER BY last_seen""")) {
      st.setTimestamp(1, new Timestamp(Math.max(0, through.getTime() - 1_000)));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Timestamp last = rs.getTimestamp(4);
          fresh.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Context.SourceSeen(
              rs.getString(2), rs.getTimestamp(3).toInstant(), last.toInstant()));
          if (last.after(through)) {
            through = last;
          }
        }
      }
    }
    sourcesReadThrough = through;
    for (Map.Entry<String, List<Context.SourceSeen>> seen : fresh.entrySet()) {
      IdentityActivity tracked = tracker.identity(seen.getKey());
      if (tracked != null) {
        tracked.peerSources(seen.getValue());
      }
      if (tracked != null || knownSources.size() < maxKnownIdentities
          || knownSources.containsKey(seen.getKey())) {
        knownSources.merge(seen.getKey(), seen.getValue(), SharedActivity::union);
      }
    }
  }

  private static List<Context.SourceSeen> union(List<Context.SourceSeen> a, List<Context.SourceSeen> b) {
    Map<String, Context.SourceSeen> byIp = new HashMap<>();
    for (Context.SourceSeen s : a) {
      byIp.put(s.ip(), s);
    }
    for (Context.SourceSeen s : b) {
      byIp.merge(s.ip(), s, (x, y) -> new Context.SourceSeen(x.ip(),
          x.firstSeen().isBefore(y.firstSeen()) ? x.firstSeen() : y.firstSeen(),
          x.lastSeen().isAfter(y.lastSeen()) ? x.lastSeen() : y.lastSeen()));
    }
    return List.copyOf(byIp.values());
  }

  /** Drops buckets older than their windows, tables untouched for an hour, idle sources. */
  private void cleanup(Connection c, long now) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("""
            DELETE FROM portcullis_state.activity
            WHERE (step_ms = ? AND step <= ?) OR (step_ms = ? AND step <= ?)""")) {
      st.setLong(1, ActivityScope.MINUTE_STEP_MS);
      st.setLong(2, now / ActivityScope.MINUTE_STEP_MS - ActivityScope.MINUTE_STEPS - 1);
      st.setLong(3, ActivityScope.HOUR_STEP_MS);
      st.setLong(4, now / ActivityScope.HOUR_STEP_MS - ActivityScope.HOUR_STEPS - 1);
      st.executeUpdate();
    }
    try (PreparedStatement st = c.prepareStatement(
        "DELETE FROM portcullis_state.activity_tables WHERE last_at < ?")) {
      st.setLong(1, now - 3_600_000);
      st.executeUpdate();
    }
    try (PreparedStatement st = c.prepareStatement(
        "DELETE FROM portcullis_state.activity_sources WHERE last_seen < ?")) {
      st.setTimestamp(1, Timestamp.from(Instant.ofEpochMilli(now - identityIdleMs)));
      st.executeUpdate();
    }
    knownSources.keySet().removeIf(key -> tracker.identity(key) != null);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    db.close();
  }
}
