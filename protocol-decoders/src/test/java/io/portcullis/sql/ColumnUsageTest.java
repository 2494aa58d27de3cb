package io.portcullis.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.document.SqlStatement;
import io.portcullis.document.SqlStatement.ColumnUse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ColumnUsageTest {

  private final SqlAnalyzer analyzer = new SqlAnalyzer(0, Duration.ofMillis(500));

  private List<ColumnUse> columns(String sql) {
    List<SqlStatement> statements = analyzer.analyze(sql).statements();
    assertThat(statements).hasSize(1);
    assertThat(statements.get(0).parseError()).as("parse error").isNull();
    return statements.get(0).columns();
  }

  /** A compact rendering: table.column:usage, comma separated, with ? for null. */
  private String render(String sql) {
    return columns(sql).stream()
        .map(c -> (c.schema() == null ? "" : c.schema() + ".") + (c.table() == null ? "?" : c.table())
            + "." + (c.column() == null ? "?" : c.column()) + ":" + c.usage())
        .collect(Collectors.joining(","));
  }

  /** Uses of customers.email, however written: by name, by *, by whole row, or without a table. */
  private List<String> emailUsages(String sql) {
    return columns(sql).stream()
        .filter(c -> c.table() == null || c.table().equals("customers"))
        .filter(c -> c.column() == null || c.column().equals("*") || c.column().equals("email"))
        .map(ColumnUse::usage)
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "SELECT substr(email,1,3)||substr(email,4) FROM customers",
      "SELECT row_to_json(c) FROM customers c",
      "SELECT c FROM customers c",
      "SELECT string_agg(email, ',') FROM customers",
      "SELECT id FROM customers WHERE email LIKE 'a%'",
      "SELECT id FROM customers ORDER BY email",
      "SELECT name FROM customers GROUP BY email, name",
      "SELECT o.id FROM orders o JOIN customers c ON c.email = o.status",
      "SELECT email FROM customers UNION SELECT 'x'",
      "SELECT (SELECT email FROM customers LIMIT 1)",
      "SELECT lower(e) FROM (SELECT email AS e FROM customers) s",
      "WITH x AS (SELECT email FROM customers) SELECT upper(email) FROM x",
      "SELECT email FROM customers ORDER BY 1",
      "UPDATE customers SET name = email WHERE id = 1",
      "INSERT INTO orders (status, customer_id, amount) SELECT email, 1, 1 FROM customers",
      "SELECT email::varchar FROM customers",
      "SELECT DISTINCT ON (email) id FROM customers",
      "SELECT to_jsonb(c.*) FROM customers c",
      "COPY (SELECT email FROM customers) TO STDOUT",
      "SELECT email AS e FROM customers ORDER BY e",
      "SELECT email FROM customers GROUP BY 1",
      "SELECT * FROM customers ORDER BY 2",
      "SELECT e FROM (SELECT email AS e FROM customers) s WHERE e = 'a'",
      "SELECT s.e FROM (SELECT email AS e, id FROM customers) s ORDER BY s.id",
      "SELECT lower(e) FROM (SELECT email FROM customers) s(e)",
      "SELECT lower(e) FROM customers c(i, n, e)",
      "SELECT count(email) FROM customers",
      "SELECT row_number() OVER (ORDER BY email) FROM customers",
      "SELECT id FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.status = c.email)",
      "SELECT id FROM customers WHERE EXISTS (SELECT 1 FROM orders WHERE status = email)",
      "WITH customers AS (SELECT email FROM customers) SELECT upper(email) FROM customers",
      "SELECT * FROM customers UNION ALL SELECT * FROM customers",
      "SELECT EXISTS (SELECT * FROM customers)",
      "INSERT INTO orders SELECT * FROM customers",
      "SELECT o.id FROM orders o NATURAL JOIN customers c",
      "SELECT o.id FROM orders o JOIN customers c USING (email)",
      "SELECT CASE WHEN email = 'a' THEN 1 END FROM customers",
      "SELECT (email) FROM customers",
      "SELECT email FROM customers c, LATERAL (SELECT c.email AS x) l WHERE l.x = 'a'",
      "DELETE FROM customers WHERE email = 'a' RETURNING id",
      "SELECT t.email FROM (SELECT * FROM customers) t ORDER BY t.email",
      "SELECT id FROM customers HAVING max(email) > 'a'",
      "SELECT x FROM (SELECT email FROM customers UNION SELECT 'y') t(x)",
      "WITH RECURSIVE r AS (SELECT email FROM customers UNION SELECT email FROM r) SELECT * FROM r",
      "WITH d AS (DELETE FROM customers WHERE id = 1 RETURNING email) SELECT * FROM d",
      "SELECT string_agg(id::text, ',' ORDER BY email) FROM customers",
      "EXPLAIN ANALYZE SELECT id FROM customers WHERE email = 'a'",
      // Attribute notation: a name the subquery does not list is a function of its whole row.
      "SELECT s.row_to_json FROM (SELECT * FROM customers) s",
      "SELECT s.to_json FROM (SELECT email FROM customers) s",
      "WITH s AS (SELECT email FROM customers) SELECT s.concat FROM s",
      "SELECT s.x FROM (SELECT email FROM customers) s(x)",
      "SELECT email[1] FROM customers",
  })
  void maskedColumnIsUsedOtherThanAsProjection(String sql) {
    assertThat(emailUsages(sql)).as(render(sql)).isNotEmpty().anyMatch(u -> !u.equals("projection"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "SELECT email FROM customers",
      "SELECT email AS e, id FROM customers WHERE id = 3",
      "SELECT * FROM customers",
      "SELECT c.* FROM customers c",
      "SELECT count(*) FROM customers",
      "SELECT * FROM (SELECT email FROM customers) s",
      "UPDATE customers SET name = 'x' WHERE id = 1 RETURNING email",
      "COPY customers (id, email) TO STDOUT",
      "SELECT c.email FROM customers c JOIN orders o ON o.customer_id = c.id",
      "WITH x AS (SELECT email FROM customers) SELECT email FROM x",
      "SELECT s.e FROM (SELECT email AS e, id FROM customers) s",
      "SELECT email FROM customers ORDER BY id",
      "COPY customers TO STDOUT",
      "DELETE FROM customers WHERE id = 1 RETURNING *",
  })
  void maskedColumnIsOnlyProjected(String sql) {
    assertThat(emailUsages(sql)).as(render(sql)).allMatch(u -> u.equals("projection"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '~', textBlock = """
      SELECT email FROM customers ~ customers.email:projection
      SELECT count(*) FROM customers ~ ''
      SELECT c.* FROM public.customers c ~ public.customers.*:projection
      SELECT row_to_json(c) FROM customers c ~ customers.?:star
      SELECT email FROM customers, orders ~ ?.email:projection
      SELECT c.email FROM customers c JOIN orders o ON o.customer_id = c.id ~ orders.customer_id:join,customers.id:join,customers.email:projection
      SELECT id FROM customers WHERE email LIKE 'a%' ~ customers.id:projection,customers.email:filter
      SELECT name FROM customers GROUP BY email, name ~ customers.name:projection,customers.email:group,customers.name:group
      SELECT email FROM customers ORDER BY 1 ~ customers.email:projection,customers.email:order
      SELECT email FROM customers UNION SELECT 'x' ~ customers.email:expression
      SELECT lower(e) FROM (SELECT email AS e FROM customers) s ~ customers.email:expression
      SELECT * FROM (SELECT email FROM customers) s ~ customers.email:projection
      UPDATE customers SET name = email WHERE id = 1 ~ customers.email:expression,customers.id:filter
      UPDATE customers SET name = 'x' WHERE id = 1 RETURNING email ~ customers.id:filter,customers.email:projection
      COPY customers (id, email) TO STDOUT ~ customers.id:projection,customers.email:projection
      COPY customers TO STDOUT ~ customers.*:projection
      COPY customers FROM STDIN ~ ''
      COPY (SELECT email FROM customers) TO STDOUT ~ customers.email:expression
      SELECT to_jsonb(c.*) FROM customers c ~ customers.*:star
      SELECT DISTINCT ON (email) id FROM customers ~ customers.id:projection,customers.email:order
      INSERT INTO orders (status, customer_id, amount) SELECT email, 1, 1 FROM customers ~ customers.email:expression
      INSERT INTO orders (status) VALUES ('a') ON CONFLICT (id) DO UPDATE SET status = excluded.status WHERE orders.status <> 'b' RETURNING status ~ orders.id:filter,orders.status:expression,orders.status:filter,orders.status:projection
      SELECT 1 ~ ''
      SET search_path = x ~ ''
      EXPLAIN SELECT email FROM customers ~ customers.email:projection
      """)
  void reportsColumnUses(String sql, String expected) {
    assertThat(render(sql)).isEqualTo(expected == null ? "" : expected);
  }

  @Test
  void positionalSortCountsEveryItemBecauseTheCacheHidesThePosition() {
    SqlAnalyzer cached = new SqlAnalyzer(100, Duration.ofMillis(500));
    SqlAnalysis first = cached.analyze("SELECT id, email FROM customers ORDER BY 1");
    SqlAnalysis second = cached.analyze("SELECT id, email FROM customers ORDER BY 2");
    assertThat(second.fromCache()).isTrue();
    ColumnUse emailOrder = new ColumnUse(null, "customers", "email", "order");
    assertThat(first.statements().get(0).columns()).contains(emailOrder);
    assertThat(second.statements().get(0).columns()).contains(emailOrder);
  }

  @Test
  void statementsTheWalkDoesNotKnowReportEveryColumnAsAnExpressionOfAnyTable() {
    assertThat(columns("MERGE INTO customers c USING orders o ON o.customer_id = c.id "
        + "WHEN MATCHED THEN UPDATE SET name = c.email"))
        .contains(new ColumnUse(null, null, "email", "expression"));
  }

  @Test
  void copyColumnListMustBeNames() {
    assertThat(analyzer.analyze("COPY customers (lower(email)) TO STDOUT").statements().get(0)
        .parseError()).isNotNull();
  }
}
