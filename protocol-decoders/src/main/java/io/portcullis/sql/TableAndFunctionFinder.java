package io.portcullis.sql;

import io.portcullis.document.SqlStatement.TableRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.RowGetExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.ReturningClause;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Collects every table and every function a parsed statement refers to, anywhere in it: JSqlParser's
 * own table finder (which knows CTE names are not tables) with the functions recorded on the way.
 *
 * <p>PostgreSQL also calls functions in attribute notation: {@code (expr).name} is {@code name(expr)}
 * when {@code expr} has no field {@code name}, and {@code q.name} is {@code name(q)} when the FROM
 * item {@code q} has no column {@code name} ({@code ('/etc/passwd'::text).pg_read_file},
 * {@code t.pg_read_file FROM lower('/etc/passwd') t}). So the name of every field selection, and of
 * every qualified column whose qualifier is not a base table of the statement, counts as a function
 * too. (A base table's row is a composite that no denied function takes; the policy checks the
 * column names of masked tables itself.)
 */
final class TableAndFunctionFinder extends TablesNamesFinder<Void> {

  private final List<Table> tables = new ArrayList<>();
  private final Set<String> functions = new LinkedHashSet<>();
  private final List<Column> qualifiedColumns = new ArrayList<>();

  /** Finds the tables and functions of {@code statement}. */
  static TableAndFunctionFinder of(Statement statement) {
    TableAndFunctionFinder finder = new TableAndFunctionFinder();
    // The finder calls extractTableName for CTE references too; keep only what it reports as tables.
    Set<String> names = finder.getTables(statement);
    finder.tables.removeIf(t -> !names.contains(finder.nameOf(t)));
    // JSqlParser's finder does not walk RETURNING: a subquery there reads tables too.
    ReturningClause returning = switch (statement) {
      case Insert insert -> insert.getReturningClause();
      case Update update -> update.getReturningClause();
      case Delete delete -> delete.getReturningClause();
      default -> null;
    };
    if (returning != null) {
      for (SelectItem<?> item : returning) {
        TableAndFunctionFinder inner = new TableAndFunctionFinder();
        Set<String> innerNames = inner.getTables(item.getExpression());
        inner.tables.removeIf(t -> !innerNames.contains(inner.nameOf(t)));
        finder.tables.addAll(inner.tables);
        finder.functions.addAll(inner.functions);
        finder.qualifiedColumns.addAll(inner.qualifiedColumns);
      }
    }
    return finder;
  }

  private String nameOf(Table table) {
    return super.extractTableName(table);
  }

  @Override
  protected String extractTableName(Table table) {
    tables.add(table);
    return super.extractTableName(table);
  }

  @Override
  public <S> Void visit(Function function, S context) {
    List<String> parts = function.getMultipartName();
    if (parts != null && !parts.isEmpty()) {
      functions.add(Names.fold(parts.get(parts.size() - 1)));
    }
    return super.visit(function, context);
  }

  @Override
  public <S> Void visit(RowGetExpression field, S context) {
    functions.add(Names.fold(field.getColumnName()));
    return super.visit(field, context);
  }

  @Override
  public <S> Void visit(Column column, S context) {
    if (column.getTable() != null && column.getTable().getName() != null) {
      qualifiedColumns.add(column);
    }
    return super.visit(column, context);
  }

  /** Every table found, as references with the given access, without duplicates. */
  List<TableRef> tables(Set<String> writtenKeys) {
    Set<String> seen = new LinkedHashSet<>();
    List<TableRef> refs = new ArrayList<>();
    for (Table table : tables) {
      TableRef ref = ref(table, "read");
      String key = key(ref);
      if (writtenKeys.contains(key)) {
        ref = new TableRef(ref.schema(), ref.name(), "write");
      }
      if (seen.add(key + "/" + ref.access())) {
        refs.add(ref);
      }
    }
    return refs;
  }

  List<String> functions() {
    Set<String> baseTables = new LinkedHashSet<>();
    for (Table table : tables) {
      baseTables.add(Names.fold(table.getName()));
      if (table.getAlias() != null) {
        baseTables.add(Names.fold(table.getAlias().getName()));
      }
    }
    Set<String> all = new LinkedHashSet<>(functions);
    for (Column column : qualifiedColumns) {
      if (!baseTables.contains(Names.fold(column.getTable().getName()))) {
        all.add(Names.fold(column.getColumnName()));
      }
    }
    return List.copyOf(all);
  }

  static TableRef ref(Table table, String access) {
    return new TableRef(Names.fold(table.getSchemaName()), Names.fold(table.getName()), access);
  }

  static String key(TableRef ref) {
    return ref.schema() + "." + ref.name();
  }
}
