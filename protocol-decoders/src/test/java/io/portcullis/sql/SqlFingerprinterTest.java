package io.portcullis.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqlFingerprinterTest {

  private static String normalized(String sql) {
    return SqlFingerprinter.fingerprint(sql).map(SqlFingerprinter.Fingerprint::normalized).orElse("<none>");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '~', textBlock = """
      SELECT  a FROM t WHERE x = 42 ~ select a from t where x = ?
      select a from t where x = 'it''s' ~ select a from t where x = ?
      SELECT E'a\\'b' ~ select ?
      SELECT U&'d!0061t' UESCAPE '!' ~ select ?
      SELECT U&'d\\0061t' ~ select ?
      SELECT B'0101', X'1F', N'x' ~ select ? , ? , ?
      SELECT $$ a ' b $$, $tag$ $$ $tag$ ~ select ? , ?
      SELECT "Mixed Case" FROM "t""q" ~ select "Mixed Case" from "t""q"
      SELECT U&"d\\0061t" ~ select "dat"
      SELECT 1e10, .5, 0x1F, 1_000, 3.14 ~ select ? , ? , ? , ? , ?
      SELECT a /* c /* nested */ still */ FROM t -- tail ~ select a from t
      SELECT $1::int ~ select $1 :: int
      UPDATE t SET x = x + -3 WHERE id = 7 ~ update t set x = x + - ? where id = ?
      SELECT 1; SELECT 2 ~ select ? ; select ?
      """)
  void normalizesLiteralsLayoutAndCase(String sql, String expected) {
    assertThat(normalized(sql)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '~', textBlock = """
      SELECT a FROM t ~ SELECT b FROM t
      SELECT a FROM t ~ SELECT "A" FROM t
      SELECT a FROM t WHERE x = 1 ~ SELECT a FROM t WHERE x > 1
      SELECT a FROM t WHERE x = $1 ~ SELECT a FROM t WHERE x = 1
      SELECT '1'::int ~ SELECT '1'::text
      SELECT 1 ~ SELECT 1; DROP TABLE t
      """)
  void differentShapesDoNotShareAFingerprint(String a, String b) {
    assertThat(SqlFingerprinter.fingerprint(a).orElseThrow().hash())
        .isNotEqualTo(SqlFingerprinter.fingerprint(b).orElseThrow().hash());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT 'unterminated", "SELECT $$ open", "SELECT /* open", "SELECT \"open",
      "SELECT 'back\\slash'", "SELECT $ 1", "SELECT 12abc", "SELECT 'a\u0000'"})
  void unusualOrBrokenSqlIsNotFingerprinted(String sql) {
    assertThat(SqlFingerprinter.fingerprint(sql)).isEqualTo(Optional.empty());
  }

  @ParameterizedTest
  @ValueSource(ints = {SqlFingerprinter.MAX_LENGTH + 1})
  void veryLongSqlIsNotFingerprinted(int length) {
    assertThat(SqlFingerprinter.fingerprint("SELECT " + "1".repeat(length))).isEmpty();
  }
}
