package io.portcullis.sql;

import io.portcullis.sql.ColumnScope.Base;
import io.portcullis.sql.ColumnScope.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.ReturningClause;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.delete.ParenthesedDelete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.insert.InsertConflictAction;
import net.sf.jsqlparser.statement.insert.InsertConflictTarget;
import net.sf.jsqlparser.statement.insert.ParenthesedInsert;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.ParenthesedUpdate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * The parts of {@link ColumnUsageFinder} for WITH lists and for INSERT, UPDATE and DELETE: SET
 * values and INSERT's query are expressions, WHERE and ON CONFLICT are filters, RETURNING is a
 * projection (an expression inside a data-modifying CTE, whose result the client sees only
 * through the outer query).
 */
final class StatementWalks {

  private final ColumnUsageFinder finder;

  StatementWalks(ColumnUsageFinder finder) {
    this.finder = finder;
  }

  void insert(Insert insert, ColumnScope parent) {
    insert(insert, parent, ColumnUsage.PROJECTION);
  }

  void update(Update update, ColumnScope parent) {
    update(update, parent, ColumnUsage.PROJECTION);
  }

  void delete(Delete delete, ColumnScope parent) {
    delete(delete, parent, ColumnUsage.PROJECTION);
  }

  private void insert(Insert insert, ColumnScope parent, ColumnUsage returning) {
    List<Runnable> ctes = new ArrayList<>();
    ColumnScope scope = withItems(insert.getWithItemsList(), parent, ctes);
    Base target = target(insert.getTable());
    finder.account(insert.getColumns());
    if (insert.getSelect() != null) {
      // The inserted values are stored, not shown: they leave the masking's sight.
      finder.select(insert.getSelect(), scope, ColumnUsage.EXPRESSION);
    }
    ColumnScope targetScope = new ColumnScope(scope);
    targetScope.relations.add(target);
    updateSets(insert.getSetUpdateSets(), targetScope);
    updateSets(insert.getDuplicateUpdateSets(), targetScope);
    ColumnScope conflictScope = new ColumnScope(targetScope);
    conflictScope.relations.add(new Base(target.schema(), target.name(), "excluded", false));
    InsertConflictTarget conflict = insert.getConflictTarget();
    if (conflict != null) {
      finder.account(conflict);
      if (conflict.getIndexColumnNames() != null) {
        // Inferring the unique index compares the new row with stored values of these columns.
        for (String column : conflict.getIndexColumnNames()) {
          finder.emit(target, Names.fold(column), ColumnUsage.FILTER);
        }
      }
      finder.walk(conflict.getIndexExpression(), ColumnUsage.FILTER, targetScope);
      finder.walk(conflict.getWhereExpression(), ColumnUsage.FILTER, targetScope);
    }
    InsertConflictAction action = insert.getConflictAction();
    if (action != null) {
      finder.account(action);
      updateSets(action.getUpdateSets(), conflictScope);
      finder.walk(action.getWhereExpression(), ColumnUsage.FILTER, conflictScope);
    }
    returning(insert.getReturningClause(), targetScope, returning);
    runInReverse(ctes);
  }

  private void update(Update update, ColumnScope parent, ColumnUsage returning) {
    List<Runnable> ctes = new ArrayList<>();
    ColumnScope scope = new ColumnScope(withItems(update.getWithItemsList(), parent, ctes));
    scope.relations.add(target(update.getTable()));
    List<Runnable> derived = new ArrayList<>();
    finder.joins(update.getStartJoins(), scope, derived);
    finder.fromItem(update.getFromItem(), scope, derived);
    finder.joins(update.getJoins(), scope, derived);
    updateSets(update.getUpdateSets(), scope);
    finder.walk(update.getWhere(), ColumnUsage.FILTER, scope);
    finder.walk(update.getOrderByElements(), ColumnUsage.ORDER, scope);
    finder.walk(update.getLimit(), ColumnUsage.EXPRESSION, scope);
    returning(update.getReturningClause(), scope, returning);
    runInReverse(derived);
    runInReverse(ctes);
  }

  private void delete(Delete delete, ColumnScope parent, ColumnUsage returning) {
    List<Runnable> ctes = new ArrayList<>();
    ColumnScope scope = new ColumnScope(withItems(delete.getWithItemsList(), parent, ctes));
    scope.relations.add(target(delete.getTable()));
    finder.account(delete.getTables());
    List<Runnable> derived = new ArrayList<>();
    if (delete.getUsingList() != null) {
      delete.getUsingList().forEach(t -> finder.fromItem(t, scope, derived));
    }
    finder.joins(delete.getJoins(), scope, derived);
    finder.walk(delete.getWhere(), ColumnUsage.FILTER, scope);
    finder.walk(delete.getOrderByElements(), ColumnUsage.ORDER, scope);
    finder.walk(delete.getLimit(), ColumnUsage.EXPRESSION, scope);
    returning(delete.getReturningClause(), scope, returning);
    runInReverse(derived);
    runInReverse(ctes);
  }

  /**
   * The scope a WITH list opens, with each CTE's body queued in {@code bodies}: a body is analysed
   * after the statement, once every reference to the CTE has said how it uses its columns.
   */
  ColumnScope withItems(List<WithItem<?>> items, ColumnScope parent, List<Runnable> bodies) {
    if (items == null || items.isEmpty()) {
      return parent;
    }
    boolean recursive = items.stream().anyMatch(WithItem::isRecursive);
    List<String> names = new ArrayList<>();
    List<Source> sources = new ArrayList<>();
    for (WithItem<?> item : items) {
      finder.account(item.getWithItemList());
      Source source = item.getParenthesedStatement() instanceof ParenthesedSelect select
          && (item.getWithItemList() == null || item.getWithItemList().isEmpty())
          ? ColumnUsageFinder.sourceOf(select.getSelect()) : new Source(Set.of(), true);
      // A recursive CTE's rows feed back into itself: its columns never reach the client as is.
      source.tainted = recursive;
      names.add(Names.fold(item.getAliasName()));
      sources.add(source);
    }
    ColumnScope all = new ColumnScope(parent);
    for (int k = 0; k < items.size(); k++) {
      all.addCte(names.get(k), sources.get(k));
      // A body sees the CTEs before it (all others too, under RECURSIVE), never itself: a
      // reference to its own name is then a base table, which can only over-report.
      ColumnScope bodyScope = new ColumnScope(parent);
      for (int j = 0; j < items.size(); j++) {
        if (j < k || (recursive && j != k)) {
          bodyScope.addCte(names.get(j), sources.get(j));
        }
      }
      Object body = items.get(k).getParenthesedStatement();
      Source source = sources.get(k);
      bodies.add(() -> {
        switch (body) {
          case ParenthesedSelect select -> finder.select(select, bodyScope,
              source.tainted ? ColumnUsage.EXPRESSION : ColumnUsage.PROJECTION);
          case ParenthesedInsert insert -> insert(insert.getInsert(), bodyScope, ColumnUsage.EXPRESSION);
          case ParenthesedUpdate update -> update(update.getUpdate(), bodyScope, ColumnUsage.EXPRESSION);
          case ParenthesedDelete delete -> delete(delete.getDelete(), bodyScope, ColumnUsage.EXPRESSION);
          default -> finder.walk(body, ColumnUsage.EXPRESSION, bodyScope);
        }
      });
    }
    return all;
  }

  private Base target(Table table) {
    finder.account(table);
    String alias = table.getAlias() == null ? null : Names.fold(table.getAlias().getName());
    return new Base(Names.fold(table.getSchemaName()), Names.fold(table.getName()), alias, false);
  }

  private void updateSets(List<UpdateSet> sets, ColumnScope scope) {
    if (sets == null) {
      return;
    }
    for (UpdateSet set : sets) {
      finder.account(set.getColumns());
      // Stored values leave the masking's sight, so every column in them is an expression.
      finder.walk(set.getValues(), ColumnUsage.EXPRESSION, scope);
    }
  }

  private void returning(ReturningClause clause, ColumnScope scope, ColumnUsage mode) {
    if (clause == null) {
      return;
    }
    for (SelectItem<?> item : clause) {
      if (mode == ColumnUsage.PROJECTION) {
        finder.projected(item.getExpression(), scope);
      } else {
        finder.walk(item.getExpression(), mode, scope);
      }
    }
  }

  static void runInReverse(List<Runnable> tasks) {
    for (int k = tasks.size() - 1; k >= 0; k--) {
      tasks.get(k).run();
    }
  }
}
