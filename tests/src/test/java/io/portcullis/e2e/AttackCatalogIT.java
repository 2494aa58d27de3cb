package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.it.fixture.GatewayExtension;
import io.portcullis.it.fixture.PgWire;
import io.portcullis.it.fixture.PostgresServer;
import io.portcullis.it.fixture.Processes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.PGConnection;

/**
 * The attack catalogue: every way we know to get a statement past the policy, a masked value past
 * the mask, or a write past its approval, run through the gateway with the real psql, JDBC or a
 * bare protocol client against the real PostgreSQL. The server's own log ({@code log_statement =
 * all}, set in the shared server's postgresql.conf) proves what ran: each row carries a marker
 * ({@code attack_017}) that appears in the log only if the server executed the row's statement.
 * The figure, "statements executed that policy forbids", must be 0.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttackCatalogIT {

  @RegisterExtension
  static final GatewayExtension servers = new GatewayExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** Raw personal data of the sample schema: none of it may leave the gateway for these callers. */
  private static final Pattern RAW_PII = Pattern.compile(
      "customer\\d+@example\\.com|\\b\\d{3}-\\d{2}-\\d{4}\\b|4111111111111111|5555555555554444|378282246310005|6011111111111117");

  private static final List<String> R = List.of("readers");
  private static final List<String> W = List.of("readers", "writers");
  private static final List<String> A = List.of("readers", "agents");

  /** The verdict a row expects. */
  sealed interface Verdict permits Denied, Allowed, Held {}

  /** Refused by the gateway with a reason containing {@code reason}; it must never run. */
  record Denied(String reason) implements Verdict {}

  /** Allowed, and nothing unmasked in what comes back (a control, or a masked read). */
  record Allowed() implements Verdict {}

  /** Held for approval (the row then denies the approval); it must never run. */
  record Held() implements Verdict {}

  /** What a row's payload got back: the first error (null if none) and everything printed. */
  record Outcome(String error, String output, boolean held) {}

  /** Runs a row's payload with its marker. */
  @FunctionalInterface
  interface Action {
    Outcome run(String token, String marker) throws Exception;
  }

  /** Whether the server log shows that the row's forbidden statement ran. */
  @FunctionalInterface
  interface LogCheck {
    boolean ran(String log, String marker);
  }

  record Row(int no, String what, List<String> groups, Verdict verdict, Action action, LogCheck check) {
    String marker() {
      return "attack_%03d".formatted(no);
    }

    @Override
    public String toString() {
      return marker() + " " + what;
    }
  }

  private static final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
  private static long largeObjectsBefore;

  @BeforeAll
  static void before() {
    // Statistics exist on any database in use; the catalogue checks they do not leak masked values.
    PostgresServer.shared().execAsSuperuser("demo", "ANALYZE customers");
    largeObjectsBefore = Long.parseLong(largeObjects());
  }

  @AfterAll
  static void after() {
    PostgresServer.shared().execAsSuperuser("demo", "UPDATE orders SET status = 'new' WHERE status LIKE 'attack%'");
  }

  private static String largeObjects() {
    return PostgresServer.shared().queryAsSuperuser("demo", "SELECT count(*) FROM pg_largeobject_metadata");
  }

  static List<Row> catalogue() {
    List<Row> rows = new ArrayList<>();
    Builder b = new Builder(rows);
    // ---- multi-statement smuggling, comments and quoting ----
    b.psql("multi-statement DROP", R, denied("DROP is never allowed"), "SELECT 1; DROP TABLE orders");
    b.psql("INSERT then DROP in one query", W, denied("DROP is never allowed"),
        "INSERT INTO orders (customer_id, amount, status) VALUES (1, 1, '{m}'); DROP TABLE orders");
    b.psql("semicolon in a comment", R, denied("DELETE without WHERE"), "SELECT 1 /* ; */; DELETE FROM orders");
    b.psql("nested comment closed, then DROP", W, denied("DROP is never allowed"),
        "SELECT 1 /* /* nested */ */ ; DROP TABLE orders");
    b.psql("nested comment hides a DROP (control: it is a comment)", R, allowed(),
        "SELECT 1 /* /* nested */ ; DROP TABLE orders */");
    b.psql("-- comment and newline", R, denied("cannot be parsed"), "SELECT 1 -- ;\nDROP TABLE orders");
    b.psql("'\\' is a whole string with standard_conforming_strings", R, denied("DROP is never allowed"),
        "SELECT '\\'; DROP TABLE orders --'");
    b.psql("E'\\\\' escape string", R, denied("DROP is never allowed"), "SELECT E'\\\\'; DROP TABLE orders --'");
    b.psql("E'\\'' escaped quote", R, denied("DROP is never allowed"), "SELECT E'\\''; DROP TABLE orders --'");
    b.psql("U&'\\0027' is a quote character, not a quote", R, denied("DROP is never allowed"),
        "SELECT U&'\\0027'; DROP TABLE orders");
    b.psql("doubled quote inside a string (control)", R, allowed(), "SELECT 'x'';DROP TABLE orders;--'");
    b.psql("dollar quoting", R, denied("DROP is never allowed"), "SELECT $$ ; $$; DROP TABLE orders");
    b.psql("tagged dollar quote with another tag inside", R, denied("DROP is never allowed"),
        "SELECT $a$ $b$ ; $a$; DROP TABLE orders");
    b.psql("dollar tags are case-sensitive (control: one string)", R, allowed(),
        "SELECT $a$ ; $A$; DROP TABLE orders $a$");
    b.psql("quoted identifier \"DROP\" as a command", R, denied("cannot be parsed"), "\"DROP\" TABLE orders");
    b.psql("quoted identifier \"DROP\" as a column (control)", R, allowed(),
        "SELECT \"DROP\" FROM (SELECT 1 AS \"DROP\") x");
    b.psql("comment inside a keyword", R, denied("cannot be parsed"), "DR/**/OP TABLE orders");
    b.psql("Unicode-escaped table name in DROP", W, denied("DROP is never allowed"), "drop table U&\"\\006frders\"");
    // ---- DO blocks and functions with dynamic SQL ----
    b.psql("DO block with EXECUTE", W, denied("DO blocks are not allowed"),
        "DO $$ BEGIN EXECUTE 'DROP TABLE orders'; END $$");
    b.psql("DO with LANGUAGE first", W, denied("DO blocks are not allowed"),
        "DO LANGUAGE plpgsql $x$ BEGIN PERFORM 1; END $x$");
    b.psql("CREATE FUNCTION with dynamic SQL", W, denied("is denied"),
        "CREATE FUNCTION attack_f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'DELETE FROM orders'; RETURN 1; END $$");
    b.psql("shadow pg_catalog.lower in public", W, denied("is denied"),
        "CREATE OR REPLACE FUNCTION public.lower(text) RETURNS text LANGUAGE sql AS 'SELECT $1'");
    b.psql("query_to_xml runs SQL given as text", R, denied("function query_to_xml is not allowed"),
        "SELECT query_to_xml('SELECT email FROM customers', true, false, '')");
    b.psql("ts_stat runs SQL given as text", R, denied("function ts_stat is not allowed"),
        "SELECT * FROM ts_stat('SELECT to_tsvector(email) FROM customers')");
    // ---- COPY ----
    b.psql("COPY TO PROGRAM", R, denied("COPY TO PROGRAM is not allowed"), "COPY orders TO PROGRAM 'id'");
    b.psql("COPY FROM PROGRAM", W, denied("COPY FROM PROGRAM is not allowed"), "COPY orders FROM PROGRAM 'id'");
    b.psql("COPY FROM a server file", W, denied("COPY FROM FILE is not allowed"), "COPY orders FROM '/etc/passwd'");
    b.psql("COPY TO a server file", R, denied("COPY TO FILE is not allowed"), "COPY orders TO '/tmp/attack_copy'");
    b.psql("COPY (query) TO PROGRAM", R, denied("COPY TO PROGRAM is not allowed"), "COPY (SELECT 1) TO PROGRAM 'id'");
    b.psql("COPY (query of a masked column)", R, denied("is masked"), "COPY (SELECT email FROM customers) TO STDOUT");
    b.psql("COPY of a masked table (masked)", R, allowed(), "COPY customers TO STDOUT");
    // ---- server files and large objects ----
    b.psql("pg_read_file", R, denied("function pg_read_file is not allowed"), "SELECT pg_read_file('/etc/hostname')");
    b.psql("schema-qualified, upper-case pg_read_file", R, denied("function pg_read_file is not allowed"),
        "SELECT pg_catalog.PG_READ_FILE('/etc/hostname')");
    b.psql("quoted and Unicode-escaped pg_read_file", R, denied("function pg_read_file is not allowed"),
        "SELECT U&\"pg_read_fil\\0065\"('/etc/hostname')");
    b.psql("pg_read_file in attribute notation", R, denied("function pg_read_file is not allowed"),
        "SELECT ('/etc/hostname'::text).pg_read_file");
    b.psql("pg_ls_dir on a FROM function's row", R, denied("function pg_ls_dir is not allowed"),
        "SELECT t.pg_ls_dir FROM lower('.') t");
    b.psql("pg_ls_dir", R, denied("function pg_ls_dir is not allowed"), "SELECT * FROM pg_ls_dir('.')");
    b.psql("pg_stat_file", R, denied("function pg_stat_file is not allowed"), "SELECT pg_stat_file('postgresql.conf')");
    b.psql("lo_import", R, denied("function lo_import is not allowed"), "SELECT lo_import('/etc/hostname')");
    b.psql("lo_export", R, denied("function lo_export is not allowed"), "SELECT lo_export(1, '/tmp/attack_lo')");
    b.psql("lo_creat", R, denied("function lo_creat is not allowed"), "SELECT lo_creat(-1)");
    b.psql("lo_creat in attribute notation", R, denied("function lo_creat is not allowed"), "SELECT (-1).lo_creat");
    b.psql("lo_from_bytea", R, denied("function lo_from_bytea is not allowed"), "SELECT lo_from_bytea(0, 'x')");
    b.psql("dblink_connect", R, denied("function dblink_connect is not allowed"), "SELECT dblink_connect('dbname=demo')");
    b.psql("dblink in FROM", R, denied("function dblink is not allowed"),
        "SELECT * FROM dblink('dbname=demo', 'DROP TABLE orders') AS t(x text)");
    b.psql("CREATE EXTENSION dblink", W, denied("never allowed"), "CREATE EXTENSION dblink");
    // ---- data-modifying CTEs, SELECT INTO, CREATE TABLE AS, views ----
    b.psql("DELETE in a CTE by a reader", R, denied("needs group writers"),
        "WITH d AS (DELETE FROM orders WHERE id = -1 RETURNING id) SELECT count(*) FROM d");
    b.psql("unbounded DELETE in a CTE by a writer", W, denied("no group grants SELECT"),
        "WITH d AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM d");
    b.psql("INSERT in a CTE by a reader", R, denied("needs group writers"),
        "WITH i AS (INSERT INTO orders (customer_id, amount, status) VALUES (1, 1, '{m}') RETURNING id) SELECT * FROM i");
    b.psql("SELECT INTO", R, denied("SELECT INTO"), "SELECT email INTO attack_stolen FROM customers");
    b.psql("SELECT INTO TEMP", W, denied("cannot be parsed"), "SELECT * INTO TEMP attack_stolen FROM orders");
    b.psql("CREATE TABLE AS", W, denied("CREATE TABLE"), "CREATE TABLE attack_stolen AS SELECT * FROM orders");
    b.psql("CREATE TEMP TABLE AS of a masked column", W, denied("is masked"),
        "CREATE TEMP TABLE attack_stolen AS SELECT email FROM customers");
    b.psql("a view of masked columns by the attacker", W, denied("CREATE VIEW"),
        "CREATE VIEW attack_v AS SELECT email AS e FROM customers");
    b.psql("a table in pg_temp to shadow customers", W, denied("CREATE TABLE"),
        "CREATE TABLE pg_temp.customers (email text)");
    // ---- PREPARE / EXECUTE in SQL ----
    b.psql("PREPARE in SQL", R, denied("PREPARE in SQL is not allowed"), "PREPARE attack_p AS SELECT email FROM customers");
    b.psql("EXECUTE in SQL", R, denied("EXECUTE in SQL is not allowed"), "EXECUTE attack_p");
    b.psql("PREPARE and EXECUTE in one query", R, denied("PREPARE in SQL is not allowed"),
        "PREPARE attack_q AS DELETE FROM orders; EXECUTE attack_q");
    b.psql("EXPLAIN ANALYZE runs a DELETE", R, denied("is denied"), "EXPLAIN ANALYZE DELETE FROM orders WHERE id = 1");
    // ---- identity and settings ----
    b.psql("SET ROLE", R, denied("the gateway decides who you are"), "SET ROLE postgres");
    b.psql("SET LOCAL ROLE", R, denied("the gateway decides who you are"), "SET LOCAL ROLE postgres");
    b.psql("SET \"role\"", R, denied("the gateway decides who you are"), "SET \"role\" TO 'postgres'");
    b.psql("SET SESSION AUTHORIZATION", R, denied("the gateway decides who you are"), "SET SESSION AUTHORIZATION postgres");
    b.psql("RESET ROLE", R, denied("the gateway decides who you are"), "RESET ROLE");
    b.psql("set_config('role')", R, denied("function set_config is not allowed"), "SELECT set_config('role', 'postgres', false)");
    b.psql("set_config in FROM, schema-qualified", R, denied("function set_config is not allowed"),
        "SELECT * FROM pg_catalog.set_config('role', 'postgres', false)");
    b.psql("SET search_path", R, denied("changing search_path is not allowed"), "SET search_path = pg_temp, public");
    b.psql("SET LOCAL search_path", R, denied("changing search_path is not allowed"), "SET LOCAL search_path TO attack");
    b.psql("SET SCHEMA (search_path's other name)", R, denied("cannot be parsed"), "SET SCHEMA 'pg_temp'");
    b.psql("set_config('search_path')", R, denied("function set_config is not allowed"),
        "SELECT set_config('search_path', 'pg_temp', false)");
    b.psql("standard_conforming_strings off", R, denied("standard_conforming_strings"), "SET standard_conforming_strings = off");
    b.psql("client_encoding", R, denied("client_encoding"), "SET client_encoding = 'LATIN1'");
    // ---- masking bypasses ----
    b.psql("whole row in attribute notation: c.row_to_json", R, denied("not a column of customers"),
        "SELECT c.row_to_json FROM customers c");
    b.psql("whole row in attribute notation: c.concat", R, denied("not a column of customers"), "SELECT c.concat FROM customers c");
    b.psql("whole row in attribute notation: customers.to_jsonb", R, denied("not a column of customers"),
        "SELECT customers.to_jsonb FROM customers");
    b.psql("whole row in attribute notation: c.quote_literal", R, denied("not a column of customers"),
        "SELECT c.quote_literal FROM customers c");
    b.psql("attribute notation on a subquery of *", R, denied("as a whole row"),
        "SELECT s.row_to_json FROM (SELECT * FROM customers) s");
    b.psql("attribute notation on a CTE", R, denied("is masked"),
        "WITH s AS (SELECT email FROM customers) SELECT s.to_json FROM s");
    b.psql("field selection calls a function", R, denied("is masked"), "SELECT (c.email).upper FROM customers c");
    b.psql("whole row cast to text", R, denied("as a whole row"), "SELECT c::text FROM customers c");
    b.psql("subscript of a masked column", R, denied("is masked"), "SELECT email[1] FROM customers");
    b.psql("window function ordered by a masked column", R, denied("is masked"),
        "SELECT email, row_number() OVER (ORDER BY email) FROM customers");
    b.psql("LATERAL computes on a masked column", R, denied("is masked"),
        "SELECT x.e FROM customers c CROSS JOIN LATERAL (SELECT upper(c.email) AS e) x");
    b.psql("LATERAL passes a masked column through (masked)", R, allowed(),
        "SELECT x.email FROM customers c, LATERAL (SELECT c.email) x WHERE c.id = 1");
    b.psql("GROUPING SETS", R, denied("is masked"), "SELECT email, count(*) FROM customers GROUP BY GROUPING SETS ((email), ())");
    b.psql("CASE", R, denied("is masked"), "SELECT CASE WHEN email LIKE 'c%' THEN 1 END FROM customers");
    b.psql("cast", R, denied("is masked"), "SELECT email::varchar(30) FROM customers");
    b.psql("CAST AS char", R, denied("is masked"), "SELECT CAST(ssn AS char(11)) FROM customers");
    b.psql("array_agg", R, denied("is masked"), "SELECT array_agg(email) FROM customers");
    b.psql("json_agg", R, denied("is masked"), "SELECT json_agg(ssn) FROM customers");
    b.psql("format()", R, denied("is masked"), "SELECT format('%s', email) FROM customers");
    b.psql("concat_ws", R, denied("is masked"), "SELECT concat_ws(',', email, ssn) FROM customers");
    b.psql("ILIKE", R, denied("is masked"), "SELECT id FROM customers WHERE email ILIKE 'customer1@%'");
    b.psql("regexp", R, denied("is masked"), "SELECT id FROM customers WHERE ssn ~ '^101'");
    b.psql("IN (subquery)", R, denied("is masked"),
        "SELECT id FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE email LIKE 'c%')");
    b.psql("EXISTS", R, denied("is masked"),
        "SELECT id FROM orders o WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id AND c.ssn LIKE '1%')");
    b.psql("DISTINCT ON", R, denied("is masked"), "SELECT DISTINCT ON (email) id FROM customers");
    b.psql("FILTER clause", R, denied("is masked"), "SELECT count(*) FILTER (WHERE email LIKE 'c%') FROM customers");
    b.psql("VALUES", R, denied("is masked"), "VALUES ((SELECT email FROM customers LIMIT 1))");
    b.psql("recursive CTE", R, denied("is masked"),
        "WITH RECURSIVE r AS (SELECT email FROM customers UNION ALL SELECT email FROM r WHERE false) SELECT * FROM r");
    b.psql("RETURNING expression", W, denied("is masked"), "UPDATE customers SET name = name WHERE id = 1 RETURNING upper(email)");
    b.psql("RETURNING a subquery", W, denied("is masked"),
        "DELETE FROM orders WHERE id = -1 RETURNING (SELECT email FROM customers LIMIT 1)");
    b.psql("ORDER BY position", R, denied("is masked"), "SELECT email FROM customers ORDER BY 1");
    b.psql("max()", R, denied("is masked"), "SELECT max(ssn) FROM customers");
    b.psql("INTERSECT", R, denied("is masked"), "SELECT email FROM customers INTERSECT SELECT 'customer1@example.com'");
    b.psql("JOIN USING", R, denied("is masked"), "SELECT * FROM customers JOIN customers d USING (email)");
    b.psql("sort by a hash of it", R, denied("is masked"), "SELECT id FROM customers ORDER BY md5(email)");
    b.psql("pg_stats shows column values", R, denied("may not be read"),
        "SELECT attname, most_common_vals, histogram_bounds FROM pg_stats WHERE tablename = 'customers'");
    b.psql("pg_stat_activity shows other identities' SQL", R, denied("may not be read"), "SELECT query FROM pg_stat_activity");
    b.psql("pg_stat_get_activity", R, denied("function pg_stat_get_activity is not allowed"),
        "SELECT query FROM pg_stat_get_activity(NULL)");
    b.psql("Unicode-escaped identifiers (masked)", R, allowed(), "SELECT U&\"em\\0061il\" FROM U&\"cust\\006fmers\" WHERE id = 1");
    b.psql("UESCAPE and quoted schema (masked)", R, allowed(),
        "SELECT U&\"c!0061rd_number\" UESCAPE '!', \"ssn\" FROM \"public\".\"customers\" WHERE id = 1");
    b.psql("Unicode-escaped column in an expression", R, denied("is masked"), "SELECT lower(U&\"em\\0061il\") FROM customers");
    b.psql("TABLE (masked)", R, allowed(), "TABLE customers");
    b.psql("CTE passes columns through (masked)", R, allowed(), "WITH s AS (SELECT email, ssn FROM customers) SELECT * FROM s");
    b.jdbc("extended protocol (masked)", R, allowed(), "SELECT email, ssn, card_number FROM customers WHERE id < 5");
    b.jdbc("extended protocol whole row", R, denied("not a column of customers"), "SELECT c.row_to_json FROM customers c");
    // ---- SQL the parser cannot parse ----
    b.psql("garbage", R, denied("cannot be parsed"), "SELECT FROM WHERE");
    b.psql("misspelt keyword", R, denied("cannot be parsed"), "SELEC 1");
    b.psql("unterminated dollar quote", R, denied("cannot be parsed"), "SELECT $$unterminated");
    b.psql("unterminated string", R, denied("cannot be parsed"), "SELECT 'unterminated");
    b.psql("unterminated comment", R, denied("cannot be parsed"), "SELECT /* unterminated");
    // ---- writes through reads, and approval bypasses by an agent ----
    b.psql("nextval by a reader", R, denied("needs group writers"), "SELECT nextval('orders_id_seq')");
    b.psql("pg_notify is NOTIFY", R, denied("function pg_notify is not allowed"), "SELECT pg_notify('attack', 'x')");
    b.held("agent: UPDATE (control)", "UPDATE orders SET status = '{m}' WHERE id = 23");
    b.held("agent: UPDATE hidden in a CTE", "WITH u AS (UPDATE orders SET status = '{m}' WHERE id = 21 RETURNING 1) SELECT * FROM u");
    b.held("agent: write after a read in one query", "SELECT 1; UPDATE orders SET status = '{m}' WHERE id = 22");
    b.held("agent: INSERT ... SELECT", "INSERT INTO orders (customer_id, amount, status) SELECT 1, 1, '{m}'");
    b.held("agent: setval writes through a SELECT", "SELECT setval('orders_id_seq', 100000), '{m}'");
    b.held("agent: nextval writes through a SELECT", "SELECT nextval('orders_id_seq'), '{m}'");
    b.psql("agent: EXPLAIN ANALYZE of an UPDATE", A, denied("is denied"),
        "EXPLAIN ANALYZE UPDATE orders SET status = '{m}' WHERE id = 24");
    b.psql("agent: PREPARE a write", A, denied("PREPARE in SQL is not allowed"),
        "PREPARE attack_w AS UPDATE orders SET status = 'x' WHERE id = 25");
    b.custom("agent: a prepared statement bound twice after one approval", A, denied("was not allowed by the gateway"),
        AttackCatalogIT::boundTwiceAfterOneApproval, AttackCatalogIT::executedMoreThanOnce);
    b.custom("agent: approved name re-Parsed without Close, then bound again", A, denied("Close it before parsing"),
        AttackCatalogIT::approvedNameReusedWithoutClose, AttackCatalogIT::executedMoreThanOnce);
    // ---- protocol-level ----
    b.custom("re-Parse a denied statement under a closed allowed name", R, denied("function pg_read_file is not allowed"),
        (token, m) -> wire(token, w -> {
          w.parse("s1", "SELECT 1").sync();
          return w.closeStatement("s1").parse("s1", "SELECT pg_read_file('/etc/hostname') /* " + m + " */")
              .bind("", "s1").execute("").sync();
        }), AttackCatalogIT::inLog);
    b.custom("re-Parse an allowed name without Close to drop its masks", R, denied("Close it before parsing"),
        (token, m) -> wire(token, w -> {
          w.parse("s2", "SELECT email, ssn FROM customers WHERE id = 1 /* " + m.replace("attack", "allowed") + " */").sync();
          PgWire.Replies second = w.parse("s2", "SELECT 'plain' /* " + m + " */").sync();
          PgWire.Replies run = w.bind("", "s2").execute("").sync();
          List<String> errors = new ArrayList<>(second.errors());
          errors.addAll(run.errors());
          return new PgWire.Replies(errors, run.notices(), run.rows());
        }), AttackCatalogIT::inLog);
    b.custom("Bind of a statement name never parsed", R, denied("was not allowed by the gateway"),
        (token, m) -> wire(token, w -> w.bind("", m).execute("").sync()), AttackCatalogIT::inLog);
    b.custom("Execute of a portal never bound", R, denied("was not bound by the gateway"),
        (token, m) -> wire(token, w -> w.execute(m).sync()), AttackCatalogIT::inLog);
    b.custom("FunctionCall (JDBC LargeObjectManager.createLO)", R, denied("FunctionCall messages are not allowed"),
        (token, m) -> jdbcAction(token, c -> {
          c.setAutoCommit(false);
          c.unwrap(PGConnection.class).getLargeObjectAPI().createLO();
          return "created";
        }), (log, m) -> log.contains("fastpath function call") || !largeObjects().equals(String.valueOf(largeObjectsBefore)));
    b.custom("startup options -c search_path (psql)", R, denied("startup parameter 'options' is not allowed"),
        (token, m) -> psqlOutcome(servers.gateway().psqlWith(
            "dbname=demo sslmode=disable options='-csearch_path=pg_temp,public'", token, null, "-tA", "-c", "SELECT '" + m + "'")),
        AttackCatalogIT::inLog);
    b.custom("startup options (JDBC)", R, denied("startup parameter 'options' is not allowed"),
        (token, m) -> jdbcAction(token, c -> run(c, "SELECT '" + m + "'"), "options", "-c search_path=pg_temp"),
        AttackCatalogIT::inLog);
    b.custom("replication=database startup (psql)", R, denied("replication connections are not allowed"),
        (token, m) -> psqlOutcome(servers.gateway().psqlWith(
            "dbname=demo sslmode=disable replication=database", token, null, "-tA", "-c", "SELECT '" + m + "'")),
        AttackCatalogIT::inLog);
    b.custom("replication=true startup (JDBC)", R, denied("replication connections are not allowed"),
        (token, m) -> jdbcAction(token, c -> run(c, "SELECT '" + m + "'"), "replication", "true",
            "assumeMinServerVersion", "9.4", "preferQueryMode", "simple"),
        AttackCatalogIT::inLog);
    return rows;
  }

  static Stream<Row> rows() {
    return catalogue().stream();
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachAttackGetsItsVerdict(Row row) throws Exception {
    String token = servers.gateway().token("attacker-" + row.no(), row.groups().toArray(String[]::new));
    Outcome outcome = row.action().run(token, row.marker());
    outcomes.put(row.marker(), outcome);
    String seen = "error=" + outcome.error() + "\noutput=" + outcome.output();
    assertThat(RAW_PII.matcher(outcome.output()).find()).as("raw personal data in " + seen).isFalse();
    switch (row.verdict()) {
      // The reasons are the gateway's own words (SQL denials also start with "portcullis:").
      case Denied d -> assertThat(outcome.error()).as(seen).isNotNull().contains(d.reason());
      case Allowed a -> assertThat(outcome.error()).as(seen).isNull();
      case Held h -> {
        assertThat(outcome.held()).as("held for approval: " + seen).isTrue();
        assertThat(outcome.error()).as(seen).isNotNull().contains("was denied by dba-1");
      }
    }
  }

  @Order(2)
  @Test
  void theServerLogShowsNoForbiddenStatementRan() throws Exception {
    Path logFile = PostgresServer.shared().logFile();
    // A last statement, to know the log holds everything before it.
    String end = "attack_catalogue_end_" + System.nanoTime();
    servers.gateway().psql(servers.gateway().token("attacker", "readers"), null, "-tA", "-c", "SELECT '" + end + "'");
    String log = "";
    for (int i = 0; i < 50 && logFile != null && !log.contains(end); i++) {
      log = Files.readString(logFile);
      Thread.sleep(100);
    }
    if (logFile == null) {
      System.out.println("attack catalogue: no server log (container); verdicts only");
      return;
    }
    List<Row> rows = catalogue();
    List<String> ran = new ArrayList<>();
    List<String> leaked = new ArrayList<>();
    int forbidden = 0;
    for (Row row : rows) {
      Outcome outcome = outcomes.get(row.marker());
      assertThat(outcome).as("row ran: " + row).isNotNull();
      if (RAW_PII.matcher(outcome.output()).find()) {
        leaked.add(row.toString());
      }
      if (row.verdict() instanceof Allowed) {
        continue;
      }
      forbidden++;
      if (row.check().ran(log, row.marker())) {
        ran.add(row.toString());
      }
    }
    // The allowed rows prove the log sees what the gateway lets through.
    assertThat(log).contains(rows.stream().filter(r -> r.verdict() instanceof Allowed).findFirst().orElseThrow().marker());
    assertThat(PostgresServer.shared().queryAsSuperuser("demo", "SELECT count(*) FROM orders")).isNotEqualTo("0");
    System.out.println("attack catalogue: " + ran.size() + " of " + forbidden + " forbidden statements executed, "
        + leaked.size() + " of " + rows.size() + " results with unmasked personal data");
    assertThat(ran).as("forbidden statements the server executed").isEmpty();
    assertThat(leaked).as("rows whose results leaked personal data").isEmpty();
  }

  // ---- the rows' building blocks ----

  private static Denied denied(String reason) {
    return new Denied(reason);
  }

  private static Allowed allowed() {
    return new Allowed();
  }

  /** Adds rows, numbering them. */
  private record Builder(List<Row> rows) {
    void psql(String what, List<String> groups, Verdict verdict, String sql) {
      custom(what, groups, verdict, (token, m) -> psqlOutcome(
          servers.gateway().psql(token, null, "-tA", "-c", withMarker(sql, m))), AttackCatalogIT::inLog);
    }

    void jdbc(String what, List<String> groups, Verdict verdict, String sql) {
      custom(what, groups, verdict, (token, m) -> jdbcAction(token, c -> run(c, withMarker(sql, m))),
          AttackCatalogIT::inLog);
    }

    /** An agent's statement that must be held; the row denies the approval. */
    void held(String what, String sql) {
      custom(what, A, new Held(), (token, m) -> heldThenDenied(token, withMarker(sql, m), m), AttackCatalogIT::inLog);
    }

    void custom(String what, List<String> groups, Verdict verdict, Action action, LogCheck check) {
      rows.add(new Row(rows.size() + 1, what, groups, verdict, action, check));
    }
  }

  private static String withMarker(String sql, String marker) {
    return sql.contains("{m}") ? sql.replace("{m}", marker) : "/* " + marker + " */ " + sql;
  }

  private static boolean inLog(String log, String marker) {
    return log.contains(marker);
  }

  /** The statement ran more than the one time its approval allowed. */
  private static boolean executedMoreThanOnce(String log, String marker) {
    return log.lines().filter(l -> l.contains(marker) && l.contains("execute")).count() > 1;
  }

  private static Outcome psqlOutcome(Processes.Result r) {
    String error = r.stderr().lines().filter(l -> l.contains("ERROR") || l.contains("FATAL")).findFirst().orElse(null);
    return new Outcome(error, r.stdout() + r.stderr(), false);
  }

  @FunctionalInterface
  interface JdbcBody {
    String run(Connection c) throws Exception;
  }

  private static Outcome jdbcAction(String token, JdbcBody body, String... properties) {
    try (Connection c = servers.gateway().jdbc(token, properties)) {
      return new Outcome(null, body.run(c), false);
    } catch (Exception e) {
      return new Outcome(String.valueOf(e.getMessage()), String.valueOf(e.getMessage()), false);
    }
  }

  /** Every result of {@code sql}, rows as text. */
  private static String run(Connection c, String sql) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Statement s = c.createStatement()) {
      boolean isResult = s.execute(sql);
      while (true) {
        if (isResult) {
          try (ResultSet rs = s.getResultSet()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              for (int i = 1; i <= n; i++) {
                out.append(rs.getString(i)).append(i < n ? "|" : "\n");
              }
            }
          }
        } else if (s.getUpdateCount() == -1) {
          return out.toString();
        }
        isResult = s.getMoreResults();
      }
    }
  }

  @FunctionalInterface
  interface WireBody {
    PgWire.Replies run(PgWire w) throws Exception;
  }

  private static Outcome wire(String token, WireBody body) throws Exception {
    try (PgWire w = PgWire.connect(servers.gateway().port(), "demo", token)) {
      PgWire.Replies replies = body.run(w);
      return new Outcome(replies.errors().isEmpty() ? null : String.join("; ", replies.errors()), replies.toString(), false);
    }
  }

  // ---- approvals ----

  private static String dba() {
    return servers.gateway().token("dba-1", "readers", "dba");
  }

  private static HttpResponse<String> api(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(servers.gateway().adminUrl() + path))
        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + dba());
    request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
        : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The id of the pending approval mentioning {@code marker}, or null once {@code until} is done. */
  private static String pending(String marker, CompletableFuture<?> until) throws Exception {
    for (int i = 0; i < 100 && !until.isDone(); i++) {
      JsonNode list = JSON.readTree(api("GET", "/api/v1/approvals?state=pending", null).body());
      for (JsonNode item : list.has("approvals") ? list.get("approvals") : list) {
        if (item.toString().contains(marker)) {
          return item.get("id").asText();
        }
      }
      Thread.sleep(50);
    }
    return null;
  }

  private static void decide(String id, String verb, String body) throws Exception {
    HttpResponse<String> r = api("POST", "/api/v1/approvals/" + id + "/" + verb, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static Outcome heldThenDenied(String token, String sql, String marker) throws Exception {
    CompletableFuture<Processes.Result> run =
        CompletableFuture.supplyAsync(() -> servers.gateway().psql(token, null, "-tA", "-c", sql));
    String id = pending(marker, run);
    if (id != null) {
      decide(id, "deny", "{\"reason\": \"attack catalogue\"}");
    }
    Outcome o = psqlOutcome(run.get(30, TimeUnit.SECONDS));
    return new Outcome(o.error(), o.output(), id != null);
  }

  /** JDBC binds a named prepared statement again after its one approval: it must not run again. */
  private static Outcome boundTwiceAfterOneApproval(String token, String marker) throws Exception {
    try (Connection c = servers.gateway().jdbc(token, "prepareThreshold", "1");
        PreparedStatement ps = c.prepareStatement(
            "UPDATE orders SET status = ? WHERE id = 31 AND status <> '" + marker + "'")) {
      ps.setString(1, "attack_once");
      CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> update(ps));
      String id = pending(marker, first);
      assertThat(id).as("the first execution is held").isNotNull();
      decide(id, "approve", "{\"comment\": \"once\"}");
      assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(1);
      CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> update(ps));
      String again = pending(marker, second);
      if (again != null) {
        decide(again, "deny", "{\"reason\": \"attack catalogue\"}");
      }
      try {
        return new Outcome(null, "second execution updated " + second.get(30, TimeUnit.SECONDS), again != null);
      } catch (java.util.concurrent.ExecutionException e) {
        return new Outcome(String.valueOf(e.getCause().getMessage()), "", again != null);
      }
    }
  }

  private static int update(PreparedStatement ps) {
    try {
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * An approved named statement ran once; the client re-Parses the name with an allowed SELECT
   * (which the server refuses: the name exists) and binds the name again.
   */
  private static Outcome approvedNameReusedWithoutClose(String token, String marker) throws Exception {
    try (PgWire w = PgWire.connect(servers.gateway().port(), "demo", token)) {
      w.parse("w", "UPDATE orders SET status = 'attack_reuse' WHERE id = 32 AND status <> '" + marker + "'")
          .bind("", "w").execute("");
      CompletableFuture<PgWire.Replies> first = CompletableFuture.supplyAsync(() -> {
        try {
          return w.sync();
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
      });
      String id = pending(marker, first);
      assertThat(id).as("the first execution is held").isNotNull();
      decide(id, "approve", "{\"comment\": \"once\"}");
      assertThat(first.get(30, TimeUnit.SECONDS).errors()).isEmpty();
      PgWire.Replies reparse = w.parse("w", "SELECT 1").sync();
      PgWire.Replies rebind = w.bind("", "w").execute("").sync();
      List<String> errors = new ArrayList<>(reparse.errors());
      errors.addAll(rebind.errors());
      return new Outcome(errors.isEmpty() ? null : String.join("; ", errors), reparse + " " + rebind, false);
    }
  }
}
