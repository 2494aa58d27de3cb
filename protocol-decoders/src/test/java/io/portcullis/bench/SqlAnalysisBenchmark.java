package io.portcullis.bench;

import io.portcullis.sql.SqlAnalysis;
import io.portcullis.sql.SqlAnalyzer;
import io.portcullis.sql.SqlFingerprinter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What analysing one pgbench statement costs: the gateway's analyser with its fingerprint cache
 * (different literal every call), without a usable cache (a new statement shape every call), the
 * fingerprint lexer alone, and JSqlParser's default entry point for comparison. Run with
 * bench/jmh.sh; not part of the test suite.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SqlAnalysisBenchmark {

  private final SqlAnalyzer cached = new SqlAnalyzer(10_000, Duration.ofMillis(500));
  private final SqlAnalyzer uncached = new SqlAnalyzer(0, Duration.ofMillis(500));
  private final AtomicLong counter = new AtomicLong();

  private String pgbenchSelect() {
    return "SELECT abalance FROM pgbench_accounts WHERE aid = " + (counter.incrementAndGet() % 1_000_000);
  }

  @Benchmark
  public SqlAnalysis analyzeWithFingerprintCache() {
    return cached.analyze(pgbenchSelect());
  }

  @Benchmark
  public SqlAnalysis analyzeWithoutCache() {
    return uncached.analyze(pgbenchSelect());
  }

  @Benchmark
  public Object fingerprintOnly() {
    return SqlFingerprinter.fingerprint(pgbenchSelect());
  }

  @Benchmark
  public Statement jsqlparserDefaultEntryPoint() throws Exception {
    return CCJSqlParserUtil.parse(pgbenchSelect());
  }
}
