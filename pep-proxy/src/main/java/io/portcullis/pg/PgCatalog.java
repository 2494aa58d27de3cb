package io.portcullis.pg;

import static java.util.Objects.requireNonNull;

import io.portcullis.config.TargetSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names the table and column behind each result field, as the target's catalog knows them, so that
 * masking rules written by name apply to RowDescription fields (table OID and attribute number).
 *
 * <p>Lookups run on the gateway's own connection to each target (JDBC, the gateway's credentials),
 * never on a client's session, off the event loops. Relations are cached per target for a bounded
 * time and dropped when a DDL statement the gateway let through may have changed them.
 */
public final class PgCatalog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PgCatalog.class);
  private static final String BY_OID = """
      SELECT c.oid, n.nspname, c.relname, a.attnum, a.attname
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
      WHERE c.oid = ANY (?) AND a.attnum > 0 AND NOT a.attisdropped""";
  private static final String BY_NAME = """
      SELECT a.attname, a.atttypid, n.nspname FROM pg_catalog.pg_attribute a
      JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE a.attrelid = pg_catalog.to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum""";

  /** A table as the catalog names it, with its columns by attribute number. */
  record Relation(int oid, String schema, String name, Map<Short, String> columns, long loadedAt) {}

  /** A column of a table named in a COPY statement. */
  record Column(String name, int typeOid, String schema) {}

  private record Named(List<Column> columns, long loadedAt) {}

  /** A field's origin: the table and column it was read from. */
  record Origin(String schema, String table, String column) {}

  private final Executor blocking;
  private final Map<String, String> env;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Map<Integer, Relation>> byTarget = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Named>> namedByTarget = new ConcurrentHashMap<>();
  private final Map<String, Connection> connections = new HashMap<>();

  public PgCatalog(Executor blocking, Map<String, String> env, int ttlSeconds) {
    this(blocking, env, ttlSeconds, System::nanoTime);
  }

  PgCatalog(Executor blocking, Map<String, String> env, int ttlSeconds, LongSupplier nanoTime) {
    this.blocking = requireNonNull(blocking, "blocking");
    this.env = requireNonNull(env, "env");
    this.ttlNanos = TimeUnit.SECONDS.toNanos(ttlSeconds);
    this.nanoTime = nanoTime;
  }

  /** The cached origin of one field, or null when its table is not cached (or stale). */
  Origin cached(TargetSettings target, int tableOid, short attnum) {
    Relation relation = fresh(target, tableOid);
    if (relation == null) {
      return null;
    }
    String column = relation.columns().get(attnum);
    return column == null ? null : new Origin(relation.schema(), relation.name(), column);
  }

  /** Whether every one of these (table OID, attribute) pairs resolves from the cache. */
  boolean allCached(TargetSettings target, int[] oids, short[] attnums) {
    for (int i = 0; i < oids.length; i++) {
      if (oids[i] != 0 && cached(target, oids[i], attnums[i]) == null) {
        return false;
      }
    }
    return true;
  }

  /** Loads these tables into the cache; completes exceptionally when the catalog cannot be read. */
  CompletableFuture<Void> load(TargetSettings target, Set<Integer> oids) {
    return CompletableFuture.runAsync(() -> {
      try {
        loadNow(target, oids);
      } catch (SQLException e) {
        dropConnection(target);
        throw new IllegalStateException("catalog lookup on target " + target.name() + " failed: "
            + e.getMessage(), e);
      }
    }, blocking);
  }

  /** The cached columns of a table named as a COPY statement names it, or null. */
  List<Column> cachedColumns(TargetSettings target, String qualifiedName) {
    Map<String, Named> named = namedByTarget.get(target.name());
    Named entry = named == null ? null : named.get(qualifiedName);
    return entry == null || nanoTime.getAsLong() - entry.loadedAt() > ttlNanos ? null : entry.columns();
  }

  /** Loads the columns of a table named as a COPY statement names it, in attribute order. */
  CompletableFuture<Void> loadColumns(TargetSettings target, String qualifiedName) {
    return columnsOf(target, qualifiedName).thenAccept(columns ->
        namedByTarget.computeIfAbsent(target.name(), k -> new ConcurrentHashMap<>())
            .put(qualifiedName, new Named(List.copyOf(columns), nanoTime.getAsLong())));
  }

  private CompletableFuture<List<Column>> columnsOf(TargetSettings target, String qualifiedName) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        synchronized (this) {
          try (PreparedStatement st = connection(target).prepareStatement(BY_NAME)) {
            st.setString(1, qualifiedName);
            List<Column> columns = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                columns.add(new Column(rs.getString(1), (int) rs.getLong(2), rs.getString(3)));
              }
            }
            return columns;
          }
        }
      } catch (SQLException e) {
        dropConnection(target);
        throw new IllegalStateException("catalog lookup on target " + target.name() + " failed: "
            + e.getMessage(), e);
      }
    }, blocking);
  }

  /** Forgets a target's tables: a DDL statement may have renamed or changed them. */
  void invalidate(TargetSettings target) {
    byTarget.remove(target.name());
    namedByTarget.remove(target.name());
  }

  private Relation fresh(TargetSettings target, int oid) {
    Map<Integer, Relation> relations = byTarget.get(target.name());
    Relation relation = relations == null ? null : relations.get(oid);
    if (relation == null || nanoTime.getAsLong() - relation.loadedAt() > ttlNanos) {
      return null;
    }
    return relation;
  }

  private synchronized void loadNow(TargetSettings target, Set<Integer> oids) throws SQLException {
    Connection connection = connection(target);
    Map<Integer, Map<Short, String>> columns = new HashMap<>();
    Map<Integer, String[]> names = new HashMap<>();
    try (PreparedStatement st = connection.prepareStatement(BY_OID)) {
      st.setArray(1, connection.createArrayOf("oid", oids.stream().map(Long::valueOf).toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          int oid = (int) rs.getLong(1);
          names.putIfAbsent(oid, new String[] {rs.getString(2), rs.getString(3)});
          columns.computeIfAbsent(oid, k -> new HashMap<>()).put(rs.getShort(4), rs.getString(5));
        }
      }
    }
    long now = nanoTime.getAsLong();
    Map<Integer, Relation> relations = byTarget.computeIfAbsent(target.name(), k -> new ConcurrentHashMap<>());
    for (int oid : oids) {
      String[] name = names.get(oid);
      // A table gone since the query ran still gets an entry: its fields resolve to no column.
      relations.put(oid, name == null ? new Relation(oid, null, null, Map.of(), now)
          : new Relation(oid, name[0], name[1], Map.copyOf(columns.get(oid)), now));
    }
  }

  private Connection connection(TargetSettings target) throws SQLException {
    Connection connection = connections.get(target.name());
    if (connection != null && !connection.isClosed()) {
      return connection;
    }
    Properties props = new Properties();
    props.setProperty("user", target.user());
    String password = target.password(env);
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("sslmode", target.sslMode());
    if (target.sslRootCert() != null) {
      props.setProperty("sslrootcert", target.sslRootCert());
    }
    props.setProperty("ApplicationName", "portcullis-catalog");
    props.setProperty("connectTimeout", "10");
    props.setProperty("socketTimeout", "30");
    props.setProperty("readOnly", "true");
    connection = DriverManager.getConnection("jdbc:postgresql://" + target.host() + ":" + target.port()
        + "/" + target.database(), props);
    connections.put(target.name(), connection);
    log.info("catalog connection to target {} opened", target.name());
    return connection;
  }

  private synchronized void dropConnection(TargetSettings target) {
    Connection connection = connections.remove(target.name());
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("closing catalog connection: {}", e.getMessage());
      }
    }
  }

  @Override
  public synchronized void close() {
    for (Connection connection : connections.values()) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("closing catalog connection: {}", e.getMessage());
      }
    }
    connections.clear();
  }
}
