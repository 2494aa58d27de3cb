package io.portcullis.sql;

import io.portcullis.document.SqlStatement;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.StreamProvider;
import net.sf.jsqlparser.statement.Statement;

/**
 * Analyses SQL text into the request document's statements.
 *
 * <p>The gateway's own lexer splits the text into statements and rewrites every literal to a
 * canonical placeholder before the SQL parser sees it, so the parser never has to agree with
 * PostgreSQL about quoting, comments or escapes, and the analysis depends only on the text's
 * fingerprint: analyses are cached by fingerprint. Parsing runs in the calling thread; a shared
 * watchdog thread interrupts a parse that runs past the time limit.
 */
public final class SqlAnalyzer {

  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
      r -> Thread.ofPlatform().daemon().name("sql-parse-watchdog").unstarted(r));

  private final int cacheEntries;
  private final long parseTimeoutMs;
  private final Map<String, CachedAnalysis> cache = new ConcurrentHashMap<>();

  private record CachedAnalysis(List<SqlStatement> statements, String normalized) {}

  /**
   * @param cacheEntries how many analysed fingerprints to keep (0 disables the cache)
   * @param parseTimeout the time limit for parsing one statement
   */
  public SqlAnalyzer(int cacheEntries, Duration parseTimeout) {
    this.cacheEntries = cacheEntries;
    this.parseTimeoutMs = Math.max(1, parseTimeout.toMillis());
  }

  /** Analyses {@code sql}; never throws for bad SQL, which is reported as a parse error. */
  public SqlAnalysis analyze(String sql) {
    SqlLexer.Result lexed = SqlLexer.lex(sql);
    if (lexed.error() != null) {
      return new SqlAnalysis(List.of(unknown(lexed.error())), null, null, false);
    }
    boolean fingerprintable = lexed.unusual() == null && sql.length() <= SqlFingerprinter.MAX_LENGTH;
    SqlFingerprinter.Fingerprint fingerprint =
        fingerprintable ? SqlFingerprinter.of(lexed.statements()) : null;
    if (fingerprint != null) {
      CachedAnalysis hit = cache.get(fingerprint.hash());
      if (hit != null) {
        return new SqlAnalysis(hit.statements(), fingerprint.hash(), hit.normalized(), true);
      }
    }
    List<SqlStatement> statements = new ArrayList<>(lexed.statements().size());
    boolean cacheable = fingerprint != null && cacheEntries > 0;
    for (List<SqlToken> tokens : lexed.statements()) {
      SqlStatement statement = analyzeOne(tokens);
      // A COPY's file or program is a literal, so its analysis differs between texts of one shape.
      cacheable &= statement.copy() == null;
      statements.add(statement);
    }
    if (cacheable) {
      if (cache.size() >= cacheEntries) {
        cache.clear(); // A full cache starts over: simple, bounded, and cheap to refill.
      }
      cache.put(fingerprint.hash(), new CachedAnalysis(List.copyOf(statements), fingerprint.normalized()));
    }
    return new SqlAnalysis(statements, fingerprint == null ? null : fingerprint.hash(),
        fingerprint == null ? null : fingerprint.normalized(), false);
  }

  private SqlStatement analyzeOne(List<SqlToken> tokens) {
    try {
      SqlStatement utility = UtilityStatements.recognise(tokens, this::parseText);
      if (utility != null) {
        return utility;
      }
    } catch (UtilityStatements.GrammarException e) {
      return unknown(e.getMessage());
    }
    StringBuilder text = new StringBuilder();
    for (SqlToken token : tokens) {
      text.append(token.forParser()).append(' ');
    }
    return parseText(text.toString());
  }

  /** Parses parser text (literals already canonical): simple grammar first, then complex. */
  private SqlStatement parseText(String text) {
    try {
      return parseAndClassify(text);
    } catch (RuntimeException e) {
      // An analysis that fails is a parse error: the default policy denies it (fail closed).
      return unknown("analysis failed: " + shortMessage(e));
    }
  }

  private SqlStatement parseAndClassify(String text) {
    String error;
    try {
      return StatementClassifier.classify(parse(text, false));
    } catch (ParseFailure first) {
      if (first.timedOut) {
        return unknown(first.getMessage());
      }
      error = first.getMessage();
    }
    try {
      return StatementClassifier.classify(parse(text, true));
    } catch (ParseFailure second) {
      return unknown(second.timedOut ? second.getMessage() : error);
    }
  }

  private static final class ParseFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean timedOut;

    ParseFailure(String message, boolean timedOut) {
      super(message, null, false, false);
      this.timedOut = timedOut;
    }
  }

  private Statement parse(String text, boolean complex) throws ParseFailure {
    CCJSqlParser parser = new CCJSqlParser(new StreamProvider(new StringReader(text)))
        .withAllowComplexParsing(complex);
    ScheduledFuture<?> watchdog =
        WATCHDOG.schedule(() -> parser.interrupted = true, parseTimeoutMs, TimeUnit.MILLISECONDS);
    try {
      Statement statement = parser.Statement();
      if (parser.getNextToken().kind != CCJSqlParserConstants.EOF) {
        throw new ParseFailure("unexpected text after the statement", false);
      }
      if (statement == null) {
        throw new ParseFailure("no statement", false);
      }
      return statement;
    } catch (ParseFailure e) {
      throw e;
    } catch (Exception | StackOverflowError e) {
      if (parser.interrupted) {
        throw new ParseFailure("parse timed out after " + parseTimeoutMs + " ms", true);
      }
      throw new ParseFailure(shortMessage(e), false);
    } finally {
      watchdog.cancel(false);
    }
  }

  private static String shortMessage(Throwable e) {
    if (e instanceof StackOverflowError) {
      return "statement nested too deeply";
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline > 0 ? message.substring(0, newline) : message;
  }

  private static SqlStatement unknown(String parseError) {
    return new SqlStatement("UNKNOWN", "other", List.of(), List.of(), null, parseError, null, null, List.of());
  }
}
