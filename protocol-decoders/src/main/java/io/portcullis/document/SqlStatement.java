package io.portcullis.document;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What one SQL statement does, as policies see it.
 *
 * @param command the statement's command in upper case, as PostgreSQL names it ({@code SELECT},
 *     {@code INSERT}, {@code DROP TABLE}, {@code SET}, ...), or {@code UNKNOWN}
 * @param type {@code read}, {@code write}, {@code ddl}, {@code admin}, {@code transaction},
 *     {@code session} or {@code other}
 * @param tables every table the statement reads or writes
 * @param functions every function called, lower-cased, without schema
 * @param hasWhere for UPDATE and DELETE, whether a WHERE clause bounds it; null otherwise
 * @param parseError why the statement could not be parsed, or null
 */
public record SqlStatement(
    String command,
    String type,
    List<TableRef> tables,
    List<String> functions,
    Boolean hasWhere,
    String parseError) {

  public SqlStatement {
    requireNonNull(command, "command");
    requireNonNull(type, "type");
    tables = List.copyOf(tables);
    functions = List.copyOf(functions);
  }

  /**
   * A table the statement touches.
   *
   * @param schema the schema as written, folded as PostgreSQL folds identifiers; null when the
   *     name was not schema-qualified (the target's search_path decides)
   * @param name the table name, folded as PostgreSQL folds identifiers
   * @param access {@code read} or {@code write}
   */
  public record TableRef(String schema, String name, String access) {
    public TableRef {
      requireNonNull(name, "name");
      requireNonNull(access, "access");
    }
  }
}
