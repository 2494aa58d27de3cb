package io.portcullis.pg;

import io.portcullis.document.SqlStatement;
import io.portcullis.mask.ColumnMask;
import io.portcullis.mask.DataPattern;
import io.portcullis.mask.MaskStrategy;
import io.portcullis.policy.Decision;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The masking rules of one allowed PostgreSQL request, checked once when the decision arrives, and
 * matched against each result field by the table and column it was read from.
 *
 * @param rules the decision's rules, each with a column or a pattern and a known strategy
 * @param notice whether the client is told how many values were masked, once per statement
 * @param statements the request's statements, for COPY (which names its table, not its fields)
 */
record PgMaskRules(List<Decision.MaskRule> rules, boolean notice, List<SqlStatement> statements) {

  /** No masking. */
  static final PgMaskRules NONE = new PgMaskRules(List.of(), false, List.of());

  PgMaskRules {
    rules = List.copyOf(rules);
    statements = List.copyOf(statements);
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
    for (Decision.MaskRule rule : decision.mask()) {
      if (rule.column() == null && rule.pattern() == null) {
        throw new IllegalArgumentException("mask rule " + describe(rule)
            + " names neither a column nor a pattern (a JSON path applies to HTTP only)");
      }
      MaskStrategy.parse(rule.strategy());
      if (rule.pattern() != null) {
        DataPattern.parse(rule.pattern());
      }
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
    return new PgMaskRules(decision.mask(), decision.maskNotice(), statements);
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
    Map<DataPattern, MaskStrategy> patterns = new EnumMap<>(DataPattern.class);
    for (Decision.MaskRule rule : rules) {
      if (rule.column() != null && !matches(rule, origin, name)) {
        continue;
      }
      MaskStrategy strategy = MaskStrategy.parse(rule.strategy());
      if (rule.pattern() == null) {
        whole = MaskStrategy.stricter(whole, strategy);
      } else {
        for (DataPattern pattern : DataPattern.parse(rule.pattern())) {
          patterns.merge(pattern, strategy, MaskStrategy::stricter);
        }
      }
    }
    return whole == null && patterns.isEmpty() ? ColumnMask.NONE : new ColumnMask(whole, patterns);
  }

  private static boolean matches(Decision.MaskRule rule, PgCatalog.Origin origin, String name) {
    String column = rule.column().toLowerCase(Locale.ROOT);
    if (origin == null || origin.column() == null) {
      return column.equals(name.toLowerCase(Locale.ROOT));
    }
    if (!column.equals(origin.column())) {
      return false;
    }
    if (rule.table() == null) {
      return true;
    }
    String table = rule.table().toLowerCase(Locale.ROOT);
    int dot = table.indexOf('.');
    return dot < 0 ? table.equals(origin.table())
        : table.substring(0, dot).equals(origin.schema()) && table.substring(dot + 1).equals(origin.table());
  }

  private static String describe(Decision.MaskRule rule) {
    return "{table: " + rule.table() + ", column: " + rule.column() + ", pattern: " + rule.pattern()
        + ", path: " + rule.path() + ", strategy: " + rule.strategy() + "}";
  }
}
