package io.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL store: batched inserts into {@code portcullis_audit.records}, one transaction
 * per batch. While the database is unreachable, batches go to the local {@link Spool}; a replay
 * thread inserts the spool in order once the database answers again (idempotent on seq), then
 * the writer goes back to inserting directly. Spool full or unwritable: writes fail (fail closed).
 * Deferred records wait in memory and go in the same transaction as the next batch.
 */
final class PostgresSink implements AuditSink {

  private static final Logger log = LoggerFactory.getLogger(PostgresSink.class);
  private static final String INSERT = "INSERT INTO portcullis_audit.records"
      + " (chain, seq, ts, kind, session_id, hash, prev, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (chain, seq) DO NOTHING";
  private static final long RETRY_MS = 500;

  private final PostgresAuditSettings settings;
  private final String password;
  private final Spool spool;
  /** Held by the writer for each batch and by the replay thread when it switches back. */
  private final ReentrantLock lock = new ReentrantLock();
  private final Thread replay;
  private volatile boolean spooling;
  private volatile boolean closed;
  private Connection writerConnection;
  private boolean schemaChecked;
  /** Records nothing waits for, inserted (or spooled) with the next batch or {@link #sync}. */
  private final List<Chain.Sealed> deferred = new ArrayList<>();

  PostgresSink(PostgresAuditSettings settings, String password, Spool spool) throws IOException {
    this.settings = settings;
    this.password = password;
    this.spool = spool;
    this.spooling = !spool.isEmpty();
    this.replay = Thread.ofPlatform().name("audit-replay").daemon().start(this::replayLoop);
  }

  @Override
  public Chain.Head head() throws IOException {
    lock.lock();
    try {
      if (!spool.isEmpty()) {
        return spool.head();
      }
      try {
        Connection c = writerConnection();
        try (PreparedStatement s = c.prepareStatement(
            "SELECT seq, hash FROM portcullis_audit.records WHERE chain = ? ORDER BY seq DESC LIMIT 1")) {
          s.setString(1, settings.chain());
          try (ResultSet rs = s.executeQuery()) {
            Chain.Head head = rs.next() ? new Chain.Head(rs.getLong(1), rs.getString(2)) : Chain.Head.empty();
            c.commit();
            return head;
          }
        }
      } catch (SQLException e) {
        closeWriterConnection();
        throw new IOException("audit database " + settings.jdbcUrl() + ": " + e.getMessage()
            + " (and nothing spooled to read the chain head from)", e);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void writeDeferred(List<Chain.Sealed> batch) {
    lock.lock();
    try {
      deferred.addAll(batch);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean sync() throws IOException {
    lock.lock();
    try {
      if (deferred.isEmpty()) {
        return false;
      }
      write(List.of());
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void write(List<Chain.Sealed> newer) throws IOException {
    lock.lock();
    try {
      // Deferred records go first, in seq order; they stay deferred until this succeeds.
      List<Chain.Sealed> batch = newer;
      if (!deferred.isEmpty()) {
        batch = new ArrayList<>(deferred);
        batch.addAll(newer);
      }
      writeNow(batch);
      deferred.clear();
    } finally {
      lock.unlock();
    }
  }

  /** Inserts {@code batch}, or spools it while the database is away; the caller holds the lock. */
  private void writeNow(List<Chain.Sealed> batch) throws IOException {
    if (!spooling) {
      try {
        insert(writerConnection(), lines(batch));
        return;
      } catch (SQLException e) {
        closeWriterConnection();
        spooling = true;
        log.warn("audit database unavailable ({}); spooling records locally", brief(e));
      }
    }
    spool.append(batch);
  }

  @Override
  public String problem() {
    return spool.problem();
  }

  @Override
  public long spoolBytes() {
    return spool.bytes();
  }

  /** Whether records are going to the spool rather than the database. */
  boolean spooling() {
    return spooling;
  }

  private static List<String> lines(List<Chain.Sealed> batch) {
    List<String> lines = new ArrayList<>(batch.size());
    for (Chain.Sealed sealed : batch) {
      lines.add(sealed.line());
    }
    return lines;
  }

  private void insert(Connection c, List<String> lines) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      int inBatch = 0;
      for (String line : lines) {
        JsonNode tree;
        try {
          tree = Json.mapper().readTree(line);
        } catch (IOException e) {
          throw new SQLException("unreadable spooled record: " + e.getMessage(), e);
        }
        s.setString(1, settings.chain());
        s.setLong(2, tree.path("seq").asLong());
        s.setTimestamp(3, Timestamp.from(Instant.parse(tree.path("ts").asText())));
        s.setString(4, tree.path("event").path("kind").asText());
        JsonNode session = tree.path("event").path("session_id");
        s.setString(5, session.isTextual() ? session.asText() : null);
        s.setString(6, tree.path("hash").asText());
        s.setString(7, tree.path("prev").asText());
        s.setString(8, line);
        s.addBatch();
        if (++inBatch >= settings.batchRecords()) {
          s.executeBatch();
          inBatch = 0;
        }
      }
      if (inBatch > 0) {
        s.executeBatch();
      }
      c.commit();
    } catch (SQLException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // The connection is going away anyway.
      }
      throw e;
    }
  }

  private void replayLoop() {
    Connection c = null;
    while (!closed) {
      try {
        if (!spooling) {
          Thread.sleep(100);
          continue;
        }
        if (c == null) {
          c = connect();
        }
        List<String> lines;
        lock.lock();
        try {
          lines = spool.next(settings.batchRecords());
        } finally {
          lock.unlock();
        }
        if (!lines.isEmpty()) {
          insert(c, lines);
          lock.lock();
          try {
            spool.confirm();
          } finally {
            lock.unlock();
          }
          continue;
        }
        lock.lock();
        try {
          if (spool.drained()) {
            spool.clear();
            spooling = false;
            log.info("audit database back; spool replayed");
          }
        } finally {
          lock.unlock();
        }
        Thread.sleep(10);
      } catch (SQLException e) {
        close(c);
        c = null;
        sleep(RETRY_MS);
      } catch (IOException | RuntimeException e) {
        log.error("audit spool replay: {}", e.toString());
        sleep(RETRY_MS);
      } catch (InterruptedException e) {
        break;
      }
    }
    close(c);
  }

  private Connection writerConnection() throws SQLException {
    if (writerConnection == null) {
      writerConnection = connect();
    }
    return writerConnection;
  }

  private void closeWriterConnection() {
    close(writerConnection);
    writerConnection = null;
  }

  private Connection connect() throws SQLException {
    Connection c = settings.connect(password, "portcullis-audit");
    try {
      c.setAutoCommit(false);
      if (!schemaChecked) {
        ensureSchema(c);
        schemaChecked = true;
      }
      return c;
    } catch (SQLException e) {
      close(c);
      throw e;
    }
  }

  /** Creates the schema when the table is missing (needs CREATE; otherwise a DBA runs schema.sql). */
  private static void ensureSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_regclass('portcullis_audit.records') IS NOT NULL")) {
      rs.next();
      if (rs.getBoolean(1)) {
        c.commit();
        return;
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute(schemaSql());
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw new SQLException("cannot create schema portcullis_audit (" + e.getMessage()
          + "); run the gateway's audit schema.sql as the database owner", e.getSQLState(), e);
    }
  }

  /** The schema, table and triggers, as {@code schema.sql} (also in the jar). */
  static String schemaSql() {
    try (InputStream in = PostgresSink.class.getResourceAsStream("schema.sql")) {
      if (in == null) {
        throw new IllegalStateException("schema.sql missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cause of a failure, without the batch's SQL and records that pgjdbc puts in its message. */
  static String brief(SQLException e) {
    SQLException cause = e instanceof java.sql.BatchUpdateException && e.getNextException() != null
        ? e.getNextException() : e;
    String message = String.valueOf(cause.getMessage());
    return message.length() > 200 ? message.substring(0, 200) + "..." : message;
  }

  private static void close(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Closing a broken connection.
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      sync();
    } catch (IOException | RuntimeException e) {
      log.warn("audit records not written at close: {}", e.getMessage());
    }
    // Give the replay a moment to empty the spool; whatever remains is replayed at next start.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (spooling && System.nanoTime() < deadline) {
      sleep(50);
    }
    closed = true;
    replay.interrupt();
    try {
      replay.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      closeWriterConnection();
      spool.close();
    } finally {
      lock.unlock();
    }
  }
}
