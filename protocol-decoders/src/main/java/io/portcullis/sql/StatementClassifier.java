package io.portcullis.sql;

import io.portcullis.document.SqlStatement;
import io.portcullis.document.SqlStatement.ColumnUse;
import io.portcullis.document.SqlStatement.TableRef;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.ExplainStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.delete.ParenthesedDelete;
import net.sf.jsqlparser.statement.insert.ParenthesedInsert;
import net.sf.jsqlparser.statement.update.ParenthesedUpdate;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.grant.Grant;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.Update;

/** Turns one parsed statement into its entry of the request document. */
final class StatementClassifier {

  private StatementClassifier() {}

  static SqlStatement classify(Statement statement) {
    // Before anything below detaches data-modifying CTEs from the statement.
    List<ColumnUse> columns = statement instanceof ExplainStatement ? List.of()
        : ColumnUsageFinder.of(statement);
    Set<String> written = new HashSet<>();
    String command;
    String type;
    Boolean hasWhere = null;
    switch (statement) {
      case Select select -> {
        command = "SELECT";
        type = "read";
        if (select instanceof PlainSelect plain && plain.getIntoTables() != null
            && !plain.getIntoTables().isEmpty()) {
          command = "SELECT INTO";
          type = "write";
          plain.getIntoTables().forEach(t -> written.add(key(t)));
        }
        if (dataModifyingWith(select.getWithItemsList(), written)) {
          type = "write";
        }
      }
      case Insert insert -> {
        command = "INSERT";
        type = "write";
        written.add(key(insert.getTable()));
        dataModifyingWith(insert.getWithItemsList(), written);
      }
      case Update update -> {
        command = "UPDATE";
        type = "write";
        hasWhere = update.getWhere() != null;
        written.add(key(update.getTable()));
        dataModifyingWith(update.getWithItemsList(), written);
      }
      case Delete delete -> {
        command = "DELETE";
        type = "write";
        hasWhere = delete.getWhere() != null;
        written.add(key(delete.getTable()));
        if (delete.getTables() != null) {
          delete.getTables().forEach(t -> written.add(key(t)));
        }
        dataModifyingWith(delete.getWithItemsList(), written);
      }
      case Merge merge -> {
        command = "MERGE";
        type = "write";
        written.add(key(merge.getTable()));
      }
      case Truncate truncate -> {
        command = "TRUNCATE";
        type = "ddl";
        if (truncate.getTables() != null) {
          truncate.getTables().forEach(t -> written.add(key(t)));
        }
      }
      case Drop drop -> {
        command = "DROP " + drop.getType().toUpperCase(Locale.ROOT);
        type = "ddl";
        if (drop.getName() != null) {
          written.add(key(drop.getName()));
        }
      }
      case CreateTable create -> {
        command = "CREATE TABLE";
        type = "ddl";
        written.add(key(create.getTable()));
      }
      case CreateIndex create -> {
        command = "CREATE INDEX";
        type = "ddl";
      }
      case CreateView create -> {
        command = "CREATE VIEW";
        type = "ddl";
      }
      case Alter alter -> {
        command = "ALTER TABLE";
        type = "ddl";
        written.add(key(alter.getTable()));
      }
      case Grant grant -> {
        command = "GRANT";
        type = "admin";
      }
      case ExplainStatement explain -> {
        SqlStatement inner = classify(explain.getStatement());
        boolean analyze = explain.getOption(ExplainStatement.OptionType.ANALYZE) != null;
        // EXPLAIN ANALYZE runs the statement, so it is as dangerous as the statement itself.
        return new SqlStatement("EXPLAIN", analyze ? inner.type() : "read", inner.tables(),
            inner.functions(), inner.hasWhere(), null, null, null, inner.columns());
      }
      default -> {
        command = commandOf(statement);
        type = "other";
      }
    }
    // JSqlParser's finder cannot walk INSERT/UPDATE/DELETE inside WITH: analyse those bodies on
    // their own, then the rest with them removed (their names are not tables).
    List<Statement> modifying = new java.util.ArrayList<>();
    Set<String> cteNames = new HashSet<>();
    detachDataModifyingWith(statement, modifying, cteNames);
    TableAndFunctionFinder finder = TableAndFunctionFinder.of(statement);
    List<TableRef> tables = new java.util.ArrayList<>(finder.tables(written));
    tables.removeIf(t -> t.schema() == null && cteNames.contains(t.name()));
    java.util.LinkedHashSet<String> functions = new java.util.LinkedHashSet<>(finder.functions());
    for (Statement body : modifying) {
      // An UPDATE or DELETE inside WITH is bounded only if it has its own WHERE.
      Boolean bounded = body instanceof Update u ? (Boolean) (u.getWhere() != null)
          : body instanceof Delete d ? (Boolean) (d.getWhere() != null) : null;
      if (bounded != null) {
        hasWhere = (hasWhere == null || hasWhere) && bounded;
      }
      TableAndFunctionFinder inner = TableAndFunctionFinder.of(body);
      for (TableRef ref : inner.tables(written)) {
        if (!tables.contains(ref)) {
          tables.add(ref);
        }
      }
      functions.addAll(inner.functions());
    }
    // SELECT INTO's new table is not a table the finder reports: add every written table it missed.
    if (statement instanceof PlainSelect plain && plain.getIntoTables() != null) {
      for (Table into : plain.getIntoTables()) {
        TableRef ref = TableAndFunctionFinder.ref(into, "write");
        if (tables.stream().noneMatch(t -> t.name().equals(ref.name()) && "write".equals(t.access()))) {
          tables.add(0, ref);
        }
      }
    }
    return new SqlStatement(command, type, tables, List.copyOf(functions), hasWhere, null, null, null,
        columns);
  }

  private static void detachDataModifyingWith(Statement statement, List<Statement> bodies,
      Set<String> names) {
    List<WithItem<?>> items = switch (statement) {
      case Select select -> select.getWithItemsList();
      case Insert insert -> insert.getWithItemsList();
      case Update update -> update.getWithItemsList();
      case Delete delete -> delete.getWithItemsList();
      default -> null;
    };
    if (items == null) {
      return;
    }
    items.removeIf(item -> {
      Object body = item.getParenthesedStatement();
      Statement inner = body instanceof ParenthesedInsert i ? i.getInsert()
          : body instanceof ParenthesedUpdate u ? u.getUpdate()
          : body instanceof ParenthesedDelete d ? d.getDelete() : null;
      if (inner == null) {
        return false;
      }
      bodies.add(inner);
      names.add(Names.fold(item.getAliasName()));
      return true;
    });
  }

  /** Records the targets of INSERT/UPDATE/DELETE inside WITH; true when there are any. */
  private static boolean dataModifyingWith(List<WithItem<?>> items, Set<String> written) {
    boolean any = false;
    if (items == null) {
      return false;
    }
    for (WithItem<?> item : items) {
      Object body = item.getParenthesedStatement();
      if (body instanceof ParenthesedInsert insert) {
        written.add(key(insert.getInsert().getTable()));
        any = true;
      } else if (body instanceof ParenthesedUpdate update) {
        written.add(key(update.getUpdate().getTable()));
        any = true;
      } else if (body instanceof ParenthesedDelete delete) {
        written.add(key(delete.getDelete().getTable()));
        any = true;
      }
    }
    return any;
  }

  private static String key(Table table) {
    return table == null ? "" : TableAndFunctionFinder.key(TableAndFunctionFinder.ref(table, "write"));
  }

  private static String commandOf(Statement statement) {
    String name = statement.getClass().getSimpleName().replaceAll("Statement$", "");
    return name.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
  }
}
