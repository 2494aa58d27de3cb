package io.portcullis.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.portcullis.document.SqlStatement;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link SqlAnalyzer#analyze}, whose result the policy decides on.
 *
 * <p>Oracle, for any text: it never throws; it returns within its parse time limit per parse
 * (plus slack for a loaded machine); an analyser with a cache, shared by every input of the run
 * (so an earlier text of the same fingerprint answers from the cache), gives the same statements
 * as one without a cache (parse error texts aside), which shows that the cache keys by everything the analysis depends on;
 * and no statement of type {@code read} names a table with access {@code write} (EXPLAIN without
 * ANALYZE excepted: it does not run its statement).
 */
class SqlAnalyzerFuzzTest {

  private static final Duration PARSE_TIMEOUT = Duration.ofMillis(200);
  private static final SqlAnalyzer CACHED = new SqlAnalyzer(10_000, PARSE_TIMEOUT);
  private static final SqlAnalyzer UNCACHED = new SqlAnalyzer(0, PARSE_TIMEOUT);

  @FuzzTest(maxDuration = "10m")
  void analyze(byte[] data) {
    String sql = new String(data, StandardCharsets.UTF_8);
    long start = System.nanoTime();
    SqlAnalysis cached = CACHED.analyze(sql);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    SqlAnalysis fresh = UNCACHED.analyze(sql);

    // Each statement is parsed at most twice (simple grammar, then complex), each under the limit.
    long budgetMs = 2L * PARSE_TIMEOUT.toMillis() * Math.max(1, fresh.statements().size()) + 2_000;
    assertThat(elapsedMs).as("analysis time (ms)").isLessThanOrEqualTo(budgetMs);

    if (!timedOut(cached) && !timedOut(fresh)) {
      // The parse error's text may come from the text that filled the cache (the parser saw its
      // placeholders, "?" or "0"); only whether there was one is part of the decision.
      assertThat(decisive(cached)).as("cached analysis of %s", sql).isEqualTo(decisive(fresh));
      assertThat(cached.fingerprint()).isEqualTo(fresh.fingerprint());
    }
    for (SqlStatement statement : fresh.statements()) {
      if ("read".equals(statement.type()) && !"EXPLAIN".equals(statement.command())) {
        assertThat(statement.tables()).as("tables of a read statement in %s", sql)
            .noneMatch(t -> "write".equals(t.access()));
      }
    }
  }

  /** The statements with each parse error reduced to its presence. */
  private static List<SqlStatement> decisive(SqlAnalysis analysis) {
    return analysis.statements().stream()
        .map(s -> s.parseError() == null ? s : new SqlStatement(s.command(), s.type(), s.tables(),
            s.functions(), s.hasWhere(), "parse error", s.copy(), s.setting(), s.columns()))
        .toList();
  }

  /** A parse that ran out of time says so, and may differ between two runs on a busy machine. */
  private static boolean timedOut(SqlAnalysis analysis) {
    List<SqlStatement> statements = analysis.statements();
    return statements.stream().anyMatch(s -> s.parseError() != null && s.parseError().contains("timed out"));
  }
}
