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
 * @param functions every function called, lower-cased, without schema, and every name PostgreSQL
 *     may call as a function in attribute notation ({@code (expr).name}; {@code q.name} where
 *     {@code q} is not a base table)
 * @param hasWhere for UPDATE and DELETE, whether a WHERE clause bounds it; null otherwise
 * @param parseError why the statement could not be parsed, or null
 * @param copy for COPY, its direction and endpoint; null otherwise
 * @param setting for SET, RESET and SHOW, the parameter name, lower-cased ({@code role},
 *     {@code session authorization}, {@code search_path}, {@code all}); null otherwise
 * @param columns every column the statement reads and how it uses it, without duplicates; empty
 *     for statements without column references
 */
public record SqlStatement(
    String command,
    String type,
    List<TableRef> tables,
    List<String> functions,
    Boolean hasWhere,
    String parseError,
    Copy copy,
    String setting,
    List<ColumnUse> columns) {

  public SqlStatement {
    requireNonNull(command, "command");
    requireNonNull(type, "type");
    tables = List.copyOf(tables);
    functions = List.copyOf(functions);
    columns = List.copyOf(columns);
  }

  /** The same statement with other column uses. */
  public SqlStatement withColumns(List<ColumnUse> newColumns) {
    return new SqlStatement(command, type, tables, functions, hasWhere, parseError, copy, setting,
        newColumns);
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
   * @param source {@code table} or {@code query} (COPY (SELECT ...) TO)
   * @param format {@code text}, {@code csv} or {@code binary}
   * @param header whether a header line comes first (CSV)
   * @param delimiter the column delimiter when not the format's default, else null
   * @param nullString how NULL is written when not the format's default, else null
   * @param quote the CSV quote character when not the default, else null
   * @param escape the CSV escape character when not the default, else null
   */
  public record Copy(String direction, String endpoint, String target, String source, String format,
      boolean header, String delimiter, String nullString, String quote, String escape) {
    public Copy {
      requireNonNull(direction, "direction");
      requireNonNull(endpoint, "endpoint");
      requireNonNull(source, "source");
      requireNonNull(format, "format");
    }

    /** A COPY with the default text format. */
    public Copy(String direction, String endpoint, String target, String source) {
      this(direction, endpoint, target, source, "text", false, null, null, null, null);
    }
  }

  /**
   * A column the statement reads, and how: policies use it to refuse any use of a masked column
   * that masking by result column could not see (filters, expressions, whole-row references).
   *
   * @param schema the schema of {@code table} as written, folded; null when not schema-qualified
   *     or when {@code table} is null
   * @param table the base table the column belongs to, resolved through aliases, CTEs and
   *     subqueries, folded; null when it cannot be attributed to one table (policies then treat it
   *     as a column of every table the statement touches)
   * @param column the column name, folded; {@code *} for {@code *} and {@code t.*}; null for a
   *     whole-row reference such as {@code row_to_json(c)}
   * @param usage {@code projection}, {@code expression}, {@code filter}, {@code order},
   *     {@code group}, {@code join} or {@code star}
   */
  public record ColumnUse(String schema, String table, String column, String usage) {
    public ColumnUse {
      requireNonNull(usage, "usage");
    }
  }
}
