package io.portcullis.approval;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.audit.PostgresAuditSettings;
import io.portcullis.audit.PostgresConnection;
import io.portcullis.json.Json;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approval events in the PostgreSQL database of the audit log ({@code audit.store: postgres}): an
 * append-only table beside the audit records, so approvals survive a restart and every gateway
 * sharing the database sees them. An event is committed before {@link #append} returns; with the
 * database down, appends fail and the approval service refuses the approval (fail closed).
 *
 * <p>Gateways sharing the database poll it for each other's events ({@link #poll}). A unique index
 * lets a request have one outcome only: of two gateways deciding it at once, the second is refused
 * ({@link ApprovalStore.AlreadyResolved}). Sequence numbers are taken before commit, so a poll can
 * see seq 12 committed before seq 11: a gap is asked for again until it fills or is
 * {@value #GAP_WAIT_MS} ms old (a rolled-back insert never fills it).
 */
public final class PostgresApprovalStore implements ApprovalStore {

  private static final Logger log = LoggerFactory.getLogger(PostgresApprovalStore.class);
  private static final ObjectMapper JSON = Json.mapper();
  private static final List<String> SCHEMA = List.of(
      "CREATE SCHEMA IF NOT EXISTS portcullis_audit",
      """
      CREATE TABLE IF NOT EXISTS portcullis_audit.approval_events (
        seq         bigserial   PRIMARY KEY,
        approval_id text        NOT NULL,
        at          timestamptz NOT NULL DEFAULT now(),
        event       text        NOT NULL)""",
      """
      CREATE OR REPLACE FUNCTION portcullis_audit.approval_events_refuse() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION 'portcullis_audit.approval_events is append-only: % refused', TG_OP
          USING ERRCODE = '42501';
      END
      $fn$""",
      """
      DO $do$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'approval_events_append_only') THEN
          CREATE TRIGGER approval_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE
            ON portcullis_audit.approval_events
            FOR EACH STATEMENT EXECUTE FUNCTION portcullis_audit.approval_events_refuse();
        END IF;
      END
      $do$""",
      "ALTER TABLE portcullis_audit.approval_events ADD COLUMN IF NOT EXISTS kind text",
      """
      CREATE UNIQUE INDEX IF NOT EXISTS approval_events_one_outcome
        ON portcullis_audit.approval_events (approval_id) WHERE kind = 'resolved'""");

  private static final long GAP_WAIT_MS = 10_000;
  private static final int MAX_GAPS = 1_000;

  private final PostgresAuditSettings settings;
  private final PostgresConnection db;
  /** The highest seq read so far. */
  private long lastSeq;
  /** Seqs below lastSeq not seen yet, with when the gap was noticed (millis). */
  private final java.util.TreeMap<Long, Long> gaps = new java.util.TreeMap<>();

  /** A store in the database {@code settings} name; connects on first use. */
  public PostgresApprovalStore(PostgresAuditSettings settings, String password) {
    this.settings = requireNonNull(settings, "settings");
    this.db = new PostgresConnection(settings, password, "portcullis-approvals", SCHEMA);
  }

  @Override
  public synchronized Collection<ApprovalRequest> load() {
    ApprovalHistory history = new ApprovalHistory();
    try (Statement st = db.get().createStatement();
        ResultSet rs = st.executeQuery("SELECT seq, event FROM portcullis_audit.approval_events ORDER BY seq")) {
      while (rs.next()) {
        seen(rs.getLong(1));
        String where = "approval_events seq " + rs.getLong(1);
        try {
          history.apply(JSON.readValue(rs.getString(2), ApprovalEvent.class), where);
        } catch (IOException | IllegalArgumentException e) {
          log.warn("{}: skipping an unreadable event: {}", where, e.getMessage());
        }
      }
    } catch (SQLException e) {
      // The gateway starts without them, as the audit log does with its database down: new
      // approvals are refused until the database answers, and these stay as they were recorded.
      db.drop();
      log.error("approvals in {} cannot be read now; starting without them: {}", settings.jdbcUrl(),
          e.getMessage());
    }
    return history.requests();
  }

  @Override
  public String instance() {
    return settings.chain();
  }

  @Override
  public synchronized List<ApprovalEvent> poll() throws IOException {
    long now = System.currentTimeMillis();
    gaps.values().removeIf(noticed -> noticed < now - GAP_WAIT_MS);
    List<ApprovalEvent> events = new java.util.ArrayList<>();
    try (PreparedStatement st = db.get().prepareStatement(
        "SELECT seq, event FROM portcullis_audit.approval_events WHERE seq > ? OR seq = ANY (?) ORDER BY seq")) {
      st.setLong(1, lastSeq);
      st.setArray(2, st.getConnection().createArrayOf("bigint", gaps.keySet().toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          seen(rs.getLong(1));
          try {
            events.add(JSON.readValue(rs.getString(2), ApprovalEvent.class));
          } catch (IOException | IllegalArgumentException e) {
            log.warn("approval_events seq {}: skipping an unreadable event: {}", rs.getLong(1), e.getMessage());
          }
        }
      }
    } catch (SQLException e) {
      db.drop();
      throw new IOException("approvals in " + settings.jdbcUrl() + " cannot be read: " + e.getMessage(), e);
    }
    return events;
  }

  /** Notes that {@code seq} was read: fills its gap, or opens gaps up to it. */
  private void seen(long seq) {
    if (gaps.remove(seq) != null || seq <= lastSeq) {
      return;
    }
    long now = System.currentTimeMillis();
    for (long missing = Math.max(lastSeq + 1, seq - MAX_GAPS); missing < seq && lastSeq > 0; missing++) {
      gaps.put(missing, now);
    }
    lastSeq = seq;
    while (gaps.size() > MAX_GAPS) {
      gaps.pollFirstEntry();
    }
  }

  @Override
  public synchronized void append(ApprovalEvent event) throws IOException {
    try (PreparedStatement st = db.get().prepareStatement(
        "INSERT INTO portcullis_audit.approval_events (approval_id, event, kind) VALUES (?, ?, ?)")) {
      st.setString(1, event.id());
      st.setString(2, JSON.writeValueAsString(event));
      st.setString(3, event instanceof ApprovalEvent.Resolved ? "resolved" : "created");
      st.executeUpdate();
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState())) {
        throw new ApprovalStore.AlreadyResolved(event.id());
      }
      db.drop();
      throw new IOException("approval " + event.id() + " cannot be recorded in " + settings.jdbcUrl()
          + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    db.close();
  }
}
