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
 * @param copy for COPY, its direction and endpoint; null otherwise
 * @param setting for SET, RESET and SHOW, the parameter name, lower-cased ({@code role},
 *     {@code session authorization}, {@code search_path}, {@code all}); null otherwise
 */
public record SqlStatement(
    String command,
    String type,
    List<TableRef> tables,
    List<String> functions,
    Boolean hasWhere,
    String parseError,
    Copy copy,
    String setting) {

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

  /**
   * What a COPY statement moves, and where.
   *
   * @param direction {@code to} (out of the database) or {@code from} (into it)
   * @param endpoint {@code stdout}, {@code stdin}, {@code file} or {@code program}
   * @param target the file name or program command line, or null for stdout/stdin
   */
  public record Copy(String direction, String endpoint, String target) {
    public Copy {
      requireNonNull(direction, "direction");
      requireNonNull(endpoint, "endpoint");
    }
  }
}
