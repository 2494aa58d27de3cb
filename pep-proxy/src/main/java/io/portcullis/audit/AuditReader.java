package io.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Reads an audit log back, line by line as stored, for {@code audit verify}, searches and session
 * replay: the embedded store's segment files, or the PostgreSQL store's table.
 */
public final class AuditReader {

  /**
   * One stored record, as text.
   *
   * @param location where it is: {@code segment-...jsonl:LINE} or {@code postgres:CHAIN}
   * @param text the stored line
   * @param complete false for a segment's last line cut short without newline
   */
  public record StoredLine(String location, String text, boolean complete) {}

  private interface Source {
    List<StoredLine> lines() throws IOException;
  }

  private final Source source;
  private final Path headDir;
  private final boolean embedded;

  private AuditReader(Source source, Path headDir, boolean embedded) {
    this.source = source;
    this.headDir = headDir;
    this.embedded = embedded;
  }

  /** A reader of the embedded store's segments in {@code auditDir}. */
  public static AuditReader embedded(Path auditDir) {
    return embedded(auditDir, false);
  }

  /**
   * A reader of the segments a running gateway is writing, for its own admin API: a last line
   * still being written (no newline yet) is left out rather than reported torn, since the writer
   * has not acknowledged it. A crashed gateway's torn line is read with {@link #embedded(Path)}.
   */
  public static AuditReader embeddedLive(Path auditDir) {
    return embedded(auditDir, true);
  }

  private static AuditReader embedded(Path auditDir, boolean live) {
    return new AuditReader(() -> {
      List<StoredLine> out = new ArrayList<>();
      List<Path> segments = SegmentFiles.list(auditDir);
      for (Path segment : segments) {
        boolean newest = segment.equals(segments.get(segments.size() - 1));
        SegmentFiles.read(segment, line -> {
          if (!(live && newest && !line.complete())) {
            out.add(new StoredLine(segment.getFileName() + ":" + line.lineNo(), line.text(), line.complete()));
          }
        });
      }
      return out;
    }, auditDir, true);
  }

  /** A reader of the PostgreSQL store (a role with SELECT suffices); {@code auditDir} may hold checkpoint.json. */
  public static AuditReader postgres(PostgresAuditSettings settings, String password, Path auditDir) {
    return new AuditReader(() -> {
      Properties props = new Properties();
      props.setProperty("user", settings.user());
      if (password != null) {
        props.setProperty("password", password);
      }
      props.setProperty("connectTimeout", "5");
      List<StoredLine> out = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), props)) {
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement(
            "SELECT seq, line FROM portcullis_audit.records WHERE chain = ? ORDER BY seq")) {
          s.setFetchSize(1000);
          s.setString(1, settings.chain());
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              out.add(new StoredLine("postgres:" + settings.chain() + ":seq " + rs.getLong(1), rs.getString(2), true));
            }
          }
        }
      } catch (SQLException e) {
        throw new IOException("audit database " + settings.jdbcUrl() + ": " + e.getMessage(), e);
      }
      return out;
    }, auditDir, false);
  }

  /** Every stored line, in stored order. */
  public List<StoredLine> lines() throws IOException {
    return source.lines();
  }

  /** Every readable record, in stored order; unreadable lines are skipped (verify reports them). */
  public List<AuditRecord> records() throws IOException {
    List<AuditRecord> out = new ArrayList<>();
    for (StoredLine line : lines()) {
      AuditRecord record = parse(line.text());
      if (record != null) {
        out.add(record);
      }
    }
    return out;
  }

  /** The line of {@code checkpoint.json}, or null when there is none. */
  public String checkpointHead() throws IOException {
    return headDir == null ? null : CheckpointHead.read(headDir);
  }

  /** Whether this reads the embedded store (whose checkpoint.json must exist once it has checkpoints). */
  public boolean embedded() {
    return embedded;
  }

  /** A record from its stored line, or null when the line is not one. */
  public static AuditRecord parse(String text) {
    try {
      return Json.mapper().readValue(text, AuditRecord.class);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static JsonNode tree(String text) {
    try {
      JsonNode node = Json.mapper().readTree(text);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }
}
