package io.portcullis.document;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A PostgreSQL request: one simple-protocol Query message, or one extended-protocol Parse.
 *
 * @param kind always {@code sql}
 * @param sql the SQL text exactly as the client sent it
 * @param statements the analysis of every statement in {@code sql}, in order
 * @param database the database the session is connected to on the target
 * @param message the protocol message carrying the SQL: {@code query} or {@code parse}
 * @param statementName for {@code parse}, the prepared statement's name (empty for unnamed)
 * @param fingerprint hash of the SQL with literals replaced by placeholders, or null when the SQL
 *     could not be fingerprinted safely
 */
public record SqlRequest(
    String kind,
    String sql,
    List<SqlStatement> statements,
    String database,
    String message,
    String statementName,
    String fingerprint)
    implements ProtocolRequest {

  public SqlRequest {
    requireNonNull(kind, "kind");
    requireNonNull(sql, "sql");
    statements = List.copyOf(statements);
    requireNonNull(database, "database");
    requireNonNull(message, "message");
  }
}
