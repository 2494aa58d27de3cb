package io.portcullis.sql;

import io.portcullis.document.SqlStatement.ColumnUse;
import io.portcullis.sql.ColumnScope.Base;
import io.portcullis.sql.ColumnScope.Derived;
import io.portcullis.sql.ColumnScope.Opaque;
import io.portcullis.sql.ColumnScope.Relation;
import io.portcullis.sql.ColumnScope.Source;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.LateralSubSelect;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.TableFunction;
import net.sf.jsqlparser.statement.update.Update;

/**
 * Finds every column a parsed statement reads and how it uses it (the request document's
 * {@code columns}).
 *
 * <p>The clauses it knows (select lists, FROM and JOIN, WHERE, GROUP BY, ORDER BY, DISTINCT ON,
 * subqueries, CTEs, set operations, INSERT/UPDATE/DELETE with RETURNING) are walked with scopes, so
 * aliases resolve to base tables. Every other node is walked through its fields, and a final sweep
 * over the whole statement reports any column reference the walk did not account for as
 * {@code expression} of no particular table: what the analysis does not understand can only make a
 * statement look more dangerous, never hide a use.
 */
final class ColumnUsageFinder {

  private final Set<ColumnUse> uses = new LinkedHashSet<>();
  private final Set<Object> accounted = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Object> countStars = Collections.newSetFromMap(new IdentityHashMap<>());
  private final StatementWalks statements = new StatementWalks(this);

  private ColumnUsageFinder() {}

  /** The column uses of {@code statement}, in the order found, without duplicates. */
  static List<ColumnUse> of(Statement statement) {
    ColumnUsageFinder finder = new ColumnUsageFinder();
    try {
      ColumnScope root = new ColumnScope(null);
      switch (statement) {
        case Select select -> finder.select(select, root, ColumnUsage.PROJECTION);
        case Insert insert -> finder.statements.insert(insert, root);
        case Update update -> finder.statements.update(update, root);
        case Delete delete -> finder.statements.delete(delete, root);
        default -> {}
      }
      finder.sweep(statement);
    } catch (StackOverflowError e) {
      throw new IllegalStateException("statement nested too deeply");
    }
    return List.copyOf(finder.uses);
  }

  // ---- queries ----

  /**
   * Analyses a query.
   *
   * @param mode {@link ColumnUsage#PROJECTION} when its select list feeds the result as is;
   *     otherwise the usage every column of its select list gets
   */
  void select(Select select, ColumnScope parent, ColumnUsage mode) {
    accounted.add(select);
    List<Runnable> ctes = new ArrayList<>();
    ColumnScope scope = statements.withItems(select.getWithItemsList(), parent, ctes);
    switch (select) {
      case PlainSelect plain -> plain(plain, scope, mode);
      case SetOperationList set -> {
        // A set operation's result columns have no table: every branch item is an expression.
        ColumnUsage branch = mode == ColumnUsage.PROJECTION ? ColumnUsage.EXPRESSION : mode;
        for (Select s : set.getSelects()) {
          select(s, scope, branch);
        }
        // ORDER BY names the union's own result columns, which belong to no one table.
        walk(set.getOrderByElements(), ColumnUsage.ORDER, new ColumnScope(scope));
      }
      case ParenthesedSelect parens -> {
        // ORDER BY outside the parentheses refers to the inner result columns by name or number.
        boolean ordered = parens.getOrderByElements() != null && !parens.getOrderByElements().isEmpty();
        select(parens.getSelect(), scope,
            ordered && mode == ColumnUsage.PROJECTION ? ColumnUsage.ORDER : mode);
        walk(parens.getOrderByElements(), ColumnUsage.ORDER, new ColumnScope(scope));
      }
      default -> {
        ColumnUsage usage = mode == ColumnUsage.PROJECTION ? ColumnUsage.EXPRESSION : mode;
        AstChildren.forEach(select, child -> walk(child, usage, scope));
      }
    }
    walk(select.getLimit(), ColumnUsage.EXPRESSION, scope);
    walk(select.getOffset(), ColumnUsage.EXPRESSION, scope);
    walk(select.getFetch(), ColumnUsage.EXPRESSION, scope);
    StatementWalks.runInReverse(ctes);
  }

  private void plain(PlainSelect plain, ColumnScope outer, ColumnUsage mode) {
    ColumnScope scope = new ColumnScope(outer);
    List<Runnable> derived = new ArrayList<>();
    fromItem(plain.getFromItem(), scope, derived);
    joins(plain.getJoins(), scope, derived);
    List<SelectItem<?>> items = plain.getSelectItems();
    for (SelectItem<?> item : items) {
      accounted.add(item);
      if (mode == ColumnUsage.PROJECTION) {
        projected(item.getExpression(), scope);
      } else {
        walk(item.getExpression(), mode, scope);
      }
    }
    if (plain.getDistinct() != null && plain.getDistinct().getOnSelectItems() != null) {
      for (SelectItem<?> on : plain.getDistinct().getOnSelectItems()) {
        accounted.add(on);
        sortKey(on.getExpression(), ColumnUsage.ORDER, items, scope);
      }
    }
    walk(plain.getWhere(), ColumnUsage.FILTER, scope);
    walk(plain.getHaving(), ColumnUsage.FILTER, scope);
    walk(plain.getQualify(), ColumnUsage.FILTER, scope);
    if (plain.getGroupBy() != null) {
      accounted.add(plain.getGroupBy());
      if (plain.getGroupBy().getGroupByExpressionList() != null) {
        for (Object key : plain.getGroupBy().getGroupByExpressionList()) {
          sortKey(key, ColumnUsage.GROUP, items, scope);
        }
      }
      walk(plain.getGroupBy().getGroupingSets(), ColumnUsage.GROUP, scope);
    }
    if (plain.getOrderByElements() != null) {
      plain.getOrderByElements().forEach(o -> {
        accounted.add(o);
        sortKey(o.getExpression(), ColumnUsage.ORDER, items, scope);
      });
    }
    walk(plain.getWindowDefinitions(), ColumnUsage.EXPRESSION, scope);
    StatementWalks.runInReverse(derived);
  }

  /** A select-list item of a query whose result the client sees as is. */
  void projected(Expression expression, ColumnScope scope) {
    switch (expression) {
      case Column column -> column(column, ColumnUsage.PROJECTION, scope);
      case AllTableColumns all -> allTableColumns(all, ColumnUsage.PROJECTION, scope);
      case AllColumns all -> allColumns(all, ColumnUsage.PROJECTION, scope);
      default -> walk(expression, ColumnUsage.EXPRESSION, scope);
    }
  }

  /**
   * An ORDER BY, GROUP BY or DISTINCT ON key. A number is a position in the select list, and the
   * analysis is cached by fingerprint, which hides the number: every select-list item counts.
   * A bare name may be a select-list alias: that item counts too.
   */
  private void sortKey(Object key, ColumnUsage usage, List<SelectItem<?>> items, ColumnScope scope) {
    if (key instanceof LongValue
        || (key instanceof SignedExpression signed && signed.getExpression() instanceof LongValue)) {
      for (SelectItem<?> item : items) {
        asUsed(item.getExpression(), usage, scope);
      }
      return;
    }
    if (key instanceof Column column && column.getTable() == null) {
      String name = Names.fold(column.getColumnName());
      for (SelectItem<?> item : items) {
        if (item.getAlias() != null && name.equals(Names.fold(item.getAlias().getName()))) {
          asUsed(item.getExpression(), usage, scope);
        }
      }
    }
    walk(key, usage, scope);
  }

  /** A select-list item used with {@code usage} ({@code *} meaning all its columns). */
  private void asUsed(Expression expression, ColumnUsage usage, ColumnScope scope) {
    switch (expression) {
      case AllTableColumns all -> allTableColumns(all, usage, scope);
      case AllColumns all -> allColumns(all, usage, scope);
      default -> walk(expression, usage, scope);
    }
  }

  // ---- FROM ----

  /** Adds {@code item} to {@code scope}; a subquery's body is analysed later, by {@code derived}. */
  void fromItem(FromItem item, ColumnScope scope, List<Runnable> derived) {
    if (item == null) {
      return;
    }
    accounted.add(item);
    Alias alias = item.getAlias();
    String aliasName = alias == null ? null : Names.fold(alias.getName());
    boolean renamed = alias != null && alias.getAliasColumns() != null
        && !alias.getAliasColumns().isEmpty();
    switch (item) {
      case Table table -> {
        String name = Names.fold(table.getName());
        Source cte = table.getSchemaName() == null ? scope.cte(name) : null;
        if (cte != null) {
          scope.relations.add(new Derived(aliasName != null ? aliasName : name, cte, renamed));
        } else {
          scope.relations.add(new Base(Names.fold(table.getSchemaName()), name, aliasName, renamed));
        }
      }
      case ParenthesedSelect parens -> {
        Source source = sourceOf(parens.getSelect());
        scope.relations.add(new Derived(aliasName, source, renamed));
        // Only LATERAL sees the FROM items beside it; others see the enclosing levels.
        ColumnScope bodyScope = parens instanceof LateralSubSelect ? scope : scope.parent;
        derived.add(() -> select(parens, bodyScope,
            source.tainted ? ColumnUsage.EXPRESSION : ColumnUsage.PROJECTION));
      }
      case ParenthesedFromItem parens -> {
        if (aliasName != null) {
          scope.relations.add(new Opaque(aliasName));
        }
        fromItem(parens.getFromItem(), scope, derived);
        joins(parens.getJoins(), scope, derived);
      }
      case TableFunction function -> {
        scope.relations.add(new Opaque(aliasName));
        walk(function.getFunction(), ColumnUsage.EXPRESSION, scope);
      }
      default -> {
        scope.relations.add(new Opaque(aliasName));
        walk(item, ColumnUsage.EXPRESSION, scope);
      }
    }
  }

  void joins(List<Join> joins, ColumnScope scope, List<Runnable> derived) {
    if (joins == null) {
      return;
    }
    for (Join join : joins) {
      accounted.add(join);
      fromItem(join.getRightItem(), scope, derived);
    }
    for (Join join : joins) {
      walk(join.getOnExpressions(), ColumnUsage.JOIN, scope);
      walk(join.getUsingColumns(), ColumnUsage.JOIN, scope);
      if (join.isNatural()) {
        // A natural join compares every column the two sides share, whichever those are.
        for (Relation r : scope.relations) {
          allOf(r, ColumnUsage.JOIN);
        }
      }
    }
  }

  /** The result column names of a subquery or CTE body. */
  static Source sourceOf(Select body) {
    Select inner = body;
    while (inner instanceof ParenthesedSelect p) {
      inner = p.getSelect();
    }
    if (!(inner instanceof PlainSelect plain)) {
      return new Source(Set.of(), true);
    }
    Set<String> names = new LinkedHashSet<>();
    boolean open = false;
    for (SelectItem<?> item : plain.getSelectItems()) {
      if (item.getAlias() != null) {
        names.add(Names.fold(item.getAlias().getName()));
      } else if (item.getExpression() instanceof Column column) {
        names.add(Names.fold(column.getColumnName()));
      } else if (item.getExpression() instanceof AllColumns) {
        open = true;
      }
    }
    return new Source(names, open);
  }

  // ---- expressions ----

  /** Walks any node, every column in it used with {@code usage}; subqueries get their own scope. */
  void walk(Object node, ColumnUsage usage, ColumnScope scope) {
    switch (node) {
      case null -> {}
      case Column column -> column(column, usage, scope);
      case AllTableColumns all -> allTableColumns(all, ColumnUsage.STAR, scope);
      case AllColumns all -> {
        if (countStars.contains(all)) {
          accounted.add(all);
        } else {
          allColumns(all, ColumnUsage.STAR, scope);
        }
      }
      case Select select -> select(select, scope, usage);
      case Table table -> accounted.add(table);
      case Function function -> {
        // count(*) reads no column; any other * argument is whole-row.
        if (function.getParameters() != null && function.getParameters().size() == 1
            && function.getParameters().get(0) instanceof AllColumns all
            && !(all instanceof AllTableColumns)) {
          countStars.add(all);
        }
        AstChildren.forEach(function, child -> walk(child, usage, scope));
      }
      default -> AstChildren.forEach(node, child -> walk(child, usage, scope));
    }
  }

  private void column(Column column, ColumnUsage usage, ColumnScope scope) {
    accounted.add(column);
    if (column.getArrayConstructor() != null) {
      // email[1], data['key']: a subscript computes a new value, which the result cannot trace.
      walk(column.getArrayConstructor(), ColumnUsage.EXPRESSION, scope);
      if (usage == ColumnUsage.PROJECTION) {
        usage = ColumnUsage.EXPRESSION;
      }
    }
    String name = Names.fold(column.getColumnName());
    Table qualifier = column.getTable();
    if (qualifier == null || qualifier.getName() == null) {
      Relation whole = scope.qualified(null, name);
      if (whole != null) {
        // A bare relation name is a whole-row reference: SELECT c FROM customers c, row_to_json(c).
        wholeRow(whole);
      } else {
        unqualified(name, usage, scope);
      }
      return;
    }
    accounted.add(qualifier);
    Relation relation =
        scope.qualified(Names.fold(qualifier.getSchemaName()), Names.fold(qualifier.getName()));
    switch (relation) {
      case Base base -> emit(base, base.renamed() ? "*" : name, usage);
      case Derived derived -> {
        if (derived.renamed() || !derived.source().names.contains(name)) {
          // A name the subquery does not list may be a function of its whole row in attribute
          // notation: s.row_to_json is row_to_json(s).
          wholeRow(derived);
        } else {
          taintUnlessProjection(derived, usage);
        }
      }
      case null, default -> emit(null, name, usage);
    }
  }

  /** An unqualified column: the one base table in scope, or no table when there are several. */
  private void unqualified(String name, ColumnUsage usage, ColumnScope scope) {
    List<Base> bases = new ArrayList<>();
    boolean derivedMatch = false;
    for (Relation r : scope.visible()) {
      if (r instanceof Base base) {
        bases.add(base);
      } else if (r instanceof Derived derived && derived.mayHave(name)) {
        taintUnlessProjection(derived, usage);
        derivedMatch = true;
      }
    }
    for (Base base : bases) {
      if (base.renamed()) {
        emit(base, "*", usage); // the name may be any of its columns
      }
    }
    if (bases.size() == 1) {
      emit(bases.get(0), name, usage);
    } else if (!bases.isEmpty() || !derivedMatch) {
      emit(null, name, usage);
    }
  }

  private void allTableColumns(AllTableColumns all, ColumnUsage usage, ColumnScope scope) {
    accounted.add(all);
    Table table = all.getTable();
    accounted.add(table);
    Relation relation = scope.qualified(Names.fold(table.getSchemaName()), Names.fold(table.getName()));
    if (relation == null) {
      uses.add(new ColumnUse(null, null, "*", usage.wire()));
    } else {
      allOf(relation, usage);
    }
  }

  /** {@code *}: every column of every FROM item of this level. */
  private void allColumns(AllColumns all, ColumnUsage usage, ColumnScope scope) {
    accounted.add(all);
    for (Relation r : scope.relations) {
      allOf(r, usage);
    }
  }

  private void allOf(Relation relation, ColumnUsage usage) {
    switch (relation) {
      case Base base -> emit(base, "*", usage);
      case Derived derived -> taintUnlessProjection(derived, usage);
      case Opaque opaque -> {}
    }
  }

  private void wholeRow(Relation relation) {
    switch (relation) {
      case Base base ->
          uses.add(new ColumnUse(base.schema(), base.name(), null, ColumnUsage.STAR.wire()));
      case Derived derived -> derived.source().tainted = true;
      case Opaque opaque -> {}
    }
  }

  private static void taintUnlessProjection(Derived derived, ColumnUsage usage) {
    if (usage != ColumnUsage.PROJECTION) {
      derived.source().tainted = true;
    }
  }

  void emit(Base base, String column, ColumnUsage usage) {
    uses.add(base == null ? new ColumnUse(null, null, column, usage.wire())
        : new ColumnUse(base.schema(), base.name(), column, usage.wire()));
  }

  /**
   * Marks a node and everything in it as handled, so the sweep does not report it: target columns
   * of INSERT and SET, CTE column lists, and clauses whose parts are walked one by one.
   */
  void account(Object node) {
    if (node != null && accounted.add(node)) {
      AstChildren.forEach(node, this::account);
    }
  }

  /** Reports every column reference the structured walk did not reach, as an expression. */
  private void sweep(Object node) {
    switch (node) {
      case null -> {}
      case Column column -> {
        if (accounted.add(column)) {
          emit(null, Names.fold(column.getColumnName()), ColumnUsage.EXPRESSION);
        }
      }
      case AllColumns all -> {
        if (accounted.add(all)) {
          uses.add(new ColumnUse(null, null, "*", ColumnUsage.STAR.wire()));
        }
        AstChildren.forEach(all, this::sweep);
      }
      default -> AstChildren.forEach(node, this::sweep);
    }
  }
}
