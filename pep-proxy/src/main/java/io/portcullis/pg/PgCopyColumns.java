package io.portcullis.pg;

import io.portcullis.document.SqlStatement;
import io.portcullis.mask.CopyFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a COPY TO STDOUT, in order, and the format its rows are written in: its explicit
 * column list, or all the copied table's columns, with their types from the catalog. A COPY of a
 * query names no columns: only pattern rules reach it, which is why a decision with column rules
 * denies such a COPY before it runs (see {@link PgMaskRules#of}).
 */
final class PgCopyColumns {

  private final String schema;
  private final String table;
  private final List<PgCatalog.Column> columns;
  private final CopyFormat format;

  private PgCopyColumns(String schema, String table, List<PgCatalog.Column> columns, CopyFormat format) {
    this.schema = schema;
    this.table = table;
    this.columns = columns;
    this.format = format;
  }

  /**
   * The columns of {@code stmt}, which produced {@code count} columns of output.
   *
   * @throws PgResultMasker.NeedsCatalog when the table's columns must be looked up first
   * @throws IllegalArgumentException when the output does not match the statement
   */
  static PgCopyColumns of(SqlStatement stmt, int count, PgSession session) throws PgResultMasker.NeedsCatalog {
    if (stmt == null || stmt.copy() == null || !"to".equals(stmt.copy().direction())) {
      throw new IllegalArgumentException("COPY output that the gateway cannot match to its statement");
    }
    CopyFormat format = format(stmt.copy());
    if (!"table".equals(stmt.copy().source())) {
      List<PgCatalog.Column> unknown = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        unknown.add(new PgCatalog.Column("", 0, null));
      }
      return new PgCopyColumns(null, null, unknown, format);
    }
    SqlStatement.TableRef ref = stmt.tables().get(0);
    String name = ref.schema() == null ? quote(ref.name()) : quote(ref.schema()) + "." + quote(ref.name());
    List<PgCatalog.Column> all = session.services.catalog().cachedColumns(session.target, name);
    if (all == null) {
      throw new PgResultMasker.NeedsCatalog(session.services.catalog().loadColumns(session.target, name));
    }
    List<PgCatalog.Column> copied = new ArrayList<>();
    for (SqlStatement.ColumnUse use : stmt.columns()) {
      if ("*".equals(use.column())) {
        copied.addAll(all);
      } else {
        copied.add(all.stream().filter(c -> c.name().equals(use.column())).findFirst()
            .orElse(new PgCatalog.Column(use.column(), 0, ref.schema())));
      }
    }
    if (copied.size() != count) {
      throw new IllegalArgumentException("COPY of " + name + " sent " + count
          + " columns where the gateway expected " + copied.size());
    }
    return new PgCopyColumns(ref.schema(), ref.name(), copied, format);
  }

  private static CopyFormat format(SqlStatement.Copy copy) {
    CopyFormat format = switch (copy.format()) {
      case "text" -> CopyFormat.textDefaults();
      case "csv" -> CopyFormat.csvDefaults();
      default -> throw new IllegalArgumentException(copy.format() + " COPY output cannot be masked");
    };
    format = format.withHeader(copy.header());
    if (copy.delimiter() != null) {
      format = format.withDelimiter(single(copy.delimiter(), "DELIMITER"));
    }
    if (copy.nullString() != null) {
      format = format.withNullString(copy.nullString());
    }
    if (copy.quote() != null) {
      format = format.withQuote(single(copy.quote(), "QUOTE"));
    }
    if (copy.escape() != null) {
      format = format.withEscape(single(copy.escape(), "ESCAPE"));
    }
    return format;
  }

  private static char single(String value, String option) {
    if (value.length() != 1) {
      throw new IllegalArgumentException("COPY " + option + " '" + value + "' (expected: one character)");
    }
    return value.charAt(0);
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  int count() {
    return columns.size();
  }

  /** Where column {@code i} comes from, or null when unknown. */
  PgCatalog.Origin origin(int i) {
    PgCatalog.Column column = columns.get(i);
    return table == null || column.name().isEmpty() ? null
        : new PgCatalog.Origin(column.schema() != null ? column.schema() : schema, table, column.name());
  }

  int typeOid(int i) {
    return columns.get(i).typeOid();
  }

  CopyFormat format() {
    return format;
  }
}
