package io.portcullis.audit;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JDBC connection to the audit database for a part of the gateway that keeps state there
 * (approvals, shared activity): opened on first use, its schema statements run once, and dropped
 * after a failure so that the next use reconnects. Not thread-safe: its user serialises calls.
 */
public final class PostgresConnection implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PostgresConnection.class);

  private final PostgresAuditSettings settings;
  private final String password;
  private final String applicationName;
  private final List<String> schema;
  private Connection connection;
  private boolean schemaChecked;

  /**
   * @param applicationName how the connection names itself to PostgreSQL ({@code portcullis-...})
   * @param schema idempotent statements creating what the user needs; a role that may not run
   *     them is told once, and the user then relies on a DBA having made them
   */
  public PostgresConnection(PostgresAuditSettings settings, String password, String applicationName,
      List<String> schema) {
    this.settings = requireNonNull(settings, "settings");
    this.password = password;
    this.applicationName = requireNonNull(applicationName, "applicationName");
    this.schema = List.copyOf(schema);
  }

  /** The open connection, connecting (and on the first connection, making the schema) if needed. */
  public Connection get() throws SQLException {
    if (connection != null && !connection.isClosed()) {
      return connection;
    }
    connection = settings.connect(password, applicationName);
    if (!schemaChecked) {
      try (Statement st = connection.createStatement()) {
        for (String sql : schema) {
          st.execute(sql);
        }
      } catch (SQLException e) {
        log.warn("{}: schema not created ({}); expecting a DBA to have created it", applicationName,
            e.getMessage());
      }
      schemaChecked = true;
    }
    return connection;
  }

  /** Closes the connection after a failure; the next {@link #get} opens a new one. */
  public void drop() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("{}: closing the connection: {}", applicationName, e.getMessage());
      }
      connection = null;
    }
  }

  /** Where it connects, for messages. */
  public String url() {
    return settings.jdbcUrl();
  }

  @Override
  public void close() {
    drop();
  }
}
