package io.portcullis.sql;

import java.util.Locale;

/** How a statement uses a column, as the request document's {@code columns[].usage} names it. */
enum ColumnUsage {
  /** A bare column whose value becomes a result column PostgreSQL traces to its table. */
  PROJECTION,
  /** Inside an expression, a set operation, a subquery's select list, or anything not handled. */
  EXPRESSION,
  /** WHERE, HAVING, ON CONFLICT and the subqueries in them. */
  FILTER,
  /** ORDER BY and DISTINCT ON. */
  ORDER,
  /** GROUP BY. */
  GROUP,
  /** JOIN ... ON and USING, NATURAL joins. */
  JOIN,
  /** A whole-row reference or a {@code *} the result description cannot resolve. */
  STAR;

  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
