package io.portcullis.pg;

import io.portcullis.document.SqlStatement;
import io.portcullis.mask.ColumnMask;
import io.portcullis.mask.DataPattern;
import io.portcullis.mask.MaskStrategy;
import io.portcullis.policy.Decision;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The masking rules of one allowed PostgreSQL request, checked once when the decision arrives, and
 * matched against each result field by the table and column it was read from.
 *
 * @param rules the decision's rules, each with a column or a pattern and a known strategy
 * @param notice whether the client is told how many values were masked, once per statement
 * @param statements the request's statements, for COPY (which names its table, not its fields)
 */
record PgMaskRules(List<Decision.MaskRule> rules, boolean notice, List<SqlStatement> statements,
    List<Compiled> compiled) {

  /** No masking. */
  static final PgMaskRules NONE = new PgMaskRules(List.of(), false, List.of(), List.of());

  /**
   * One rule, parsed once: what it matches (lower-cased names; null for any) and what it applies.
   *
   * @param schema the table's schema when the rule names one, else null
   * @param table the table, or null for any
   * @param column the column, or null for every field (a pattern rule)
   * @param strategy the strategy
   * @param patterns the patterns a pattern rule looks for, empty for a column rule
   */
  record Compiled(String schema, String table, String column, MaskStrategy strategy,
      Set<DataPattern> patterns) {

    static Compiled of(Decision.MaskRule rule) {
      String table = rule.table() == null ? null : rule.table().toLowerCase(Locale.ROOT);
      int dot = table == null ? -1 : table.indexOf('.');
      return new Compiled(dot < 0 ? null : table.substring(0, dot), dot < 0 ? table : table.substring(dot + 1),
          rule.column() == null ? null : rule.column().toLowerCase(Locale.ROOT),
          MaskStrategy.parse(rule.strategy()),
          rule.pattern() == null ? Set.of() : DataPattern.parse(rule.pattern()));
    }

    boolean matches(PgCatalog.Origin origin, String name) {
      if (column == null) {
        return true;
      }
      if (origin == null || origin.column() == null) {
        return column.equals(name.toLowerCase(Locale.ROOT));
      }
      return column.equals(origin.column()) && (table == null || table.equals(origin.table()))
          && (schema == null || schema.equals(origin.schema()));
    }
  }

  PgMaskRules {
    rules = List.copyOf(rules);
    statements = List.copyOf(statements);
    compiled = List.copyOf(compiled);
  }

  /**
   * The rules of a decision.
   *
   * @throws IllegalArgumentException when a rule cannot be applied to PostgreSQL results; the
   *     request is then denied, never run unmasked
   */
  static PgMaskRules of(Decision decision, List<SqlStatement> statements) {
    if (decision.mask().isEmpty()) {
      return NONE;
    }
    List<Compiled> compiled = new ArrayList<>(decision.mask().size());
    for (Decision.MaskRule rule : decision.mask()) {
      if (rule.column() == null && rule.pattern() == null) {
        throw new IllegalArgumentException("mask rule " + describe(rule)
            + " names neither a column nor a pattern (a JSON path applies to HTTP only)");
      }
      compiled.add(Compiled.of(rule));
    }
    boolean byColumn = decision.mask().stream().anyMatch(r -> r.column() != null);
    for (SqlStatement stmt : statements) {
      SqlStatement.Copy copy = stmt.copy();
      if (copy == null || !"to".equals(copy.direction())) {
        continue;
      }
      if (copy.format().equals("binary")) {
        throw new IllegalArgumentException("binary COPY output cannot be masked; use FORMAT text or csv");
      }
      if (byColumn && copy.source().equals("query")) {
        throw new IllegalArgumentException("the output of COPY (query) names no columns to mask;"
            + " COPY the table, or SELECT the columns");
      }
    }
    return new PgMaskRules(decision.mask(), decision.maskNotice(), statements, compiled);
  }

  boolean isEmpty() {
    return rules.isEmpty();
  }

  /**
   * The rules for a field read from {@code origin} (null when the value is computed) and named
   * {@code name} in the result. A computed value named like a masked column is masked too.
   */
  ColumnMask forField(PgCatalog.Origin origin, String name) {
    MaskStrategy whole = null;
    Map<DataPattern, MaskStrategy> patterns = null;
    for (Compiled rule : compiled) {
      if (!rule.matches(origin, name)) {
        continue;
      }
      if (rule.patterns().isEmpty()) {
        whole = MaskStrategy.stricter(whole, rule.strategy());
      } else {
        patterns = patterns == null ? new EnumMap<>(DataPattern.class) : patterns;
        for (DataPattern pattern : rule.patterns()) {
          patterns.merge(pattern, rule.strategy(), MaskStrategy::stricter);
        }
      }
    }
    return whole == null && patterns == null ? ColumnMask.NONE
        : new ColumnMask(whole, patterns == null ? Map.of() : patterns);
  }

  private static String describe(Decision.MaskRule rule) {
    return "{table: " + rule.table() + ", column: " + rule.column() + ", pattern: " + rule.pattern()
        + ", path: " + rule.path() + ", strategy: " + rule.strategy() + "}";
  }
}
