package io.portcullis.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PatternScannerTest {

  static final String HEADER = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"; // {"alg":"HS256","typ":"JWT"}
  static final String CLAIMS = "eyJzdWIiOiIxMjM0NTY3ODkwIn0"; // {"sub":"1234567890"}
  static final String JWT = HEADER + "." + CLAIMS + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

  /** The substrings of {@code value} that the given patterns match, in order. */
  static List<String> found(Set<DataPattern> patterns, String value) {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    MaskStrategy[] by = new MaskStrategy[DataPattern.values().length];
    for (DataPattern p : patterns) {
      by[p.ordinal()] = MaskStrategy.REDACT;
    }
    Matches m = new Matches();
    List<String> out = new ArrayList<>();
    if (PatternScanner.scan(b, 0, b.length, by, m)) {
      for (int i = 0; i < m.count(); i++) {
        out.add(new String(b, m.start(i), m.end(i) - m.start(i), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  static List<String> found(DataPattern pattern, String value) {
    return found(EnumSet.of(pattern), value);
  }

  @Test
  void parsesDecisionNames() {
    assertThat(DataPattern.parse("credit_card")).containsExactly(DataPattern.CREDIT_CARD);
    assertThat(DataPattern.parse("us_ssn")).containsExactly(DataPattern.US_SSN);
    assertThat(DataPattern.parse("secret"))
        .containsExactlyInAnyOrder(DataPattern.AWS_ACCESS_KEY, DataPattern.JWT, DataPattern.PRIVATE_KEY);
    for (DataPattern p : DataPattern.values()) {
      assertThat(DataPattern.parse(p.wireName())).containsExactly(p);
    }
    assertThatThrownBy(() -> DataPattern.parse("foo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pattern: foo (expected: one of credit_card, email, us_ssn, iban, "
            + "aws_access_key, jwt, private_key, secret)");
    assertThatThrownBy(() -> DataPattern.parse("CREDIT_CARD")).isInstanceOf(IllegalArgumentException.class);
    assertThat(MaskStrategy.parse("partial")).isEqualTo(MaskStrategy.PARTIAL);
    assertThatThrownBy(() -> MaskStrategy.parse("shred"))
        .hasMessage("strategy: shred (expected: one of redact, partial, hash, null)");
    assertThat(MaskStrategy.stricter(MaskStrategy.PARTIAL, MaskStrategy.HASH)).isEqualTo(MaskStrategy.HASH);
    assertThat(MaskStrategy.stricter(MaskStrategy.REDACT, MaskStrategy.NULL)).isEqualTo(MaskStrategy.NULL);
    assertThat(MaskStrategy.stricter(null, MaskStrategy.PARTIAL)).isEqualTo(MaskStrategy.PARTIAL);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "378282246310005",
    "3782 822463 10005", "5555555555554444", "6011000990139424", "4222222222222",
    "6011 0009 9013 9424 ", "4000 0000 0000 0000 006"})
  void findsCardNumbers(String card) {
    assertThat(found(DataPattern.CREDIT_CARD, "card: " + card + ".")).containsExactly(card.strip());
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "4111111111111112", // Luhn fails
    "41111111111111110000", // a valid card inside a longer digit run
    "00004111111111111111",
    "x4111111111111111", "4111111111111111abc",
    "4111 1111-1111 1111", // mixed separators
    "0000000000000000", // leading zero
    "2024-01-15", "2024-01-15 10:30:00", "2024-01-15 2024-01-16", "20240115 20240116",
    "+1 (415) 555-2671", "415-555-2671", "+44 20 7946 0958", "1-800-555-0199 ext 1234",
    "123456789012", "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"})
  void ignoresNonCards(String value) {
    assertThat(found(DataPattern.CREDIT_CARD, value)).isEmpty();
  }

  @Test
  void findsCardAfterADate() {
    assertThat(found(DataPattern.CREDIT_CARD, "2024-01-15 4111 1111 1111 1111"))
        .containsExactly("4111 1111 1111 1111");
    assertThat(found(DataPattern.CREDIT_CARD, "4111111111111111,5555555555554444"))
        .containsExactly("4111111111111111", "5555555555554444");
  }

  @Test
  void findsSsns() {
    assertThat(found(DataPattern.US_SSN, "ssn 123-45-6789, ok")).containsExactly("123-45-6789");
    assertThat(found(DataPattern.US_SSN, "078-05-1120")).containsExactly("078-05-1120");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", "123-00-4567", "123-45-0000",
    "2024-01-15", "415-555-2671", "1123-45-6789", "123-45-67890", "a123-45-6789", "123456789",
    "1-123-45-6789"})
  void ignoresInvalidSsns(String value) {
    assertThat(found(DataPattern.US_SSN, value)).isEmpty();
  }

  @Test
  void findsEmails() {
    assertThat(found(DataPattern.EMAIL, "alice@example.com")).containsExactly("alice@example.com");
    assertThat(found(DataPattern.EMAIL, "To: <bob.smith+tag@mail.example.co.uk>."))
        .containsExactly("bob.smith+tag@mail.example.co.uk");
    assertThat(found(DataPattern.EMAIL, "{\"e\":\"a@b.io\",\"f\":\"c_d@e-f.org\"}"))
        .containsExactly("a@b.io", "c_d@e-f.org");
    assertThat(found(DataPattern.EMAIL, "..x.@y.com")).isEmpty();
    assertThat(found(DataPattern.EMAIL, ".x@y.com")).containsExactly("x@y.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"user@localhost", "@example.com", "a@b", "foo@bar.1x", "a@-b.com", "a @b.com", "a@.com"})
  void ignoresNonEmails(String value) {
    assertThat(found(DataPattern.EMAIL, value)).isEmpty();
  }

  @Test
  void findsIbans() {
    assertThat(found(DataPattern.IBAN, "DE89370400440532013000")).containsExactly("DE89370400440532013000");
    assertThat(found(DataPattern.IBAN, "IBAN DE89 3704 0044 0532 0130 00 please"))
        .containsExactly("DE89 3704 0044 0532 0130 00");
    assertThat(found(DataPattern.IBAN, "GB82 WEST 1234 5698 7654 32")).containsExactly("GB82 WEST 1234 5698 7654 32");
    assertThat(found(DataPattern.IBAN, "GB82WEST12345698765432.")).containsExactly("GB82WEST12345698765432");
    assertThat(found(DataPattern.IBAN, "NO9386011117947")).containsExactly("NO9386011117947");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "DE89370400440532013001", "XDE89370400440532013000", "DE89370400440532013000X",
    "DE00370400440532013000", "de89370400440532013000", "DE89 3704 0044 0532 0130 01"})
  void ignoresInvalidIbans(String value) {
    assertThat(found(DataPattern.IBAN, value)).isEmpty();
  }

  @Test
  void findsSecrets() {
    Set<DataPattern> secret = DataPattern.parse("secret");
    assertThat(found(secret, "key=AKIAIOSFODNN7EXAMPLE;")).containsExactly("AKIAIOSFODNN7EXAMPLE");
    assertThat(found(secret, "ASIAY34FZKBOKMUTVV7A")).containsExactly("ASIAY34FZKBOKMUTVV7A");
    assertThat(found(secret, "AKIAIOSFODNN7EXAMPL")).isEmpty();
    assertThat(found(secret, "XAKIAIOSFODNN7EXAMPLE")).isEmpty();
    assertThat(found(secret, "AKIAIOSFODNN7EXAMPLEX")).isEmpty();
    assertThat(found(secret, "AKIAiOSFODNN7EXAMPLE")).isEmpty();

    assertThat(found(secret, "Authorization: Bearer " + JWT + ". Done")).containsExactly(JWT);
    assertThat(found(secret, HEADER + "." + CLAIMS + ".")).containsExactly(HEADER + "." + CLAIMS + ".");
    String noAlg = "eyJ0eXAiOiJKV1QifQ"; // {"typ":"JWT"}
    assertThat(found(secret, noAlg + "." + CLAIMS + ".sig")).isEmpty();
    assertThat(found(secret, HEADER + "." + CLAIMS)).isEmpty();
    assertThat(found(secret, "x" + JWT)).isEmpty();

    String key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----";
    assertThat(found(secret, "k: " + key + "\nnext")).containsExactly(key);
    String openssh = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----";
    assertThat(found(secret, openssh)).containsExactly(openssh);
    assertThat(found(secret, "-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----")).isEmpty();
    String truncated = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg";
    assertThat(found(secret, "x " + truncated)).containsExactly(truncated);
  }

  /** The shortest value each pattern matches: exactly its minimum length. */
  static final Map<DataPattern, String> SHORTEST = Map.of(
      DataPattern.CREDIT_CARD, "4222222222222",
      DataPattern.EMAIL, "a@b.cd",
      DataPattern.US_SSN, "123-45-6789",
      DataPattern.IBAN, "NO9386011117947",
      DataPattern.AWS_ACCESS_KEY, "AKIAIOSFODNN7EXAMPLE",
      DataPattern.JWT, "eyJhbGci..", // the header decodes to {"alg"
      DataPattern.PRIVATE_KEY, "-----BEGIN PRIVATE KEY-----");

  /** Scans without the length guard: what the detectors alone find. */
  static boolean unguarded(byte[] b, int from, int to, MaskStrategy[] by, Matches m) {
    return PatternScanner.scan(b, from, to, by, 0, m);
  }

  @Test
  void shortestMatchOfEachPatternIsItsMinimumLengthAndIsFound() {
    assertThat(SHORTEST).containsOnlyKeys(DataPattern.values());
    SHORTEST.forEach((pattern, value) -> {
      assertThat(PatternScanner.minLength(pattern)).as(pattern.wireName()).isEqualTo(value.length());
      assertThat(found(pattern, value)).as(pattern.wireName()).containsExactly(value);
      // After other text, under every pattern (a key without an END line runs to the end).
      assertThat(found(EnumSet.allOf(DataPattern.class), "id: " + value)).contains(value);
    });
  }

  /**
   * The length guard is only sound if no detector ever matches fewer bytes: no part of a shortest
   * match that is shorter than it matches, even scanned without the guard, under every pattern.
   */
  @Test
  void nothingShorterThanTheMinimumMatchesEvenUnguarded() {
    MaskStrategy[] all = new MaskStrategy[DataPattern.values().length];
    Arrays.fill(all, MaskStrategy.REDACT);
    Matches m = new Matches();
    SHORTEST.forEach((pattern, value) -> {
      byte[] b = value.getBytes(StandardCharsets.US_ASCII);
      MaskStrategy[] one = new MaskStrategy[all.length];
      one[pattern.ordinal()] = MaskStrategy.REDACT;
      for (int from = 0; from < b.length; from++) {
        for (int to = from; to <= b.length; to++) {
          if (to - from < b.length) {
            assertThat(unguarded(b, from, to, one, m)).as(pattern + " [" + from + ", " + to + ")").isFalse();
          }
        }
      }
    });
    assertThat(PatternScanner.minLength(all)).isEqualTo(6);
    assertThat(PatternScanner.minLength(new MaskStrategy[all.length])).isEqualTo(Integer.MAX_VALUE);
    MaskStrategy[] readerPlan = new MaskStrategy[all.length];
    for (DataPattern p : DataPattern.parse("secret")) {
      readerPlan[p.ordinal()] = MaskStrategy.REDACT;
    }
    readerPlan[DataPattern.CREDIT_CARD.ordinal()] = MaskStrategy.PARTIAL;
    assertThat(PatternScanner.minLength(readerPlan)).as("credit_card and secret").isEqualTo(10);
  }

  /** Every detector run directly on the whole value, with no length guard and no first pass. */
  static List<String> everyDetector(DataPattern pattern, byte[] b) {
    Matches m = new Matches();
    MaskStrategy s = MaskStrategy.REDACT;
    switch (pattern) {
      case CREDIT_CARD -> NumberPatterns.findCards(b, 0, b.length, s, m);
      case EMAIL -> TextPatterns.findEmails(b, 0, b.length, s, m);
      case US_SSN -> NumberPatterns.findSsns(b, 0, b.length, s, m);
      case IBAN -> TextPatterns.findIbans(b, 0, b.length, s, m);
      case AWS_ACCESS_KEY -> SecretPatterns.findAwsKeys(b, 0, b.length, s, m);
      case JWT -> SecretPatterns.findJwts(b, 0, b.length, s, m);
      case PRIVATE_KEY -> SecretPatterns.findPrivateKeys(b, 0, b.length, s, m);
    }
    m.sortAndMerge();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < m.count(); i++) {
      assertThat(m.end(i) - m.start(i)).as(pattern + " match length")
          .isGreaterThanOrEqualTo(PatternScanner.minLength(pattern));
      out.add(new String(b, m.start(i), m.end(i) - m.start(i), StandardCharsets.US_ASCII));
    }
    return out;
  }

  /**
   * The scanner's shortcuts (the length guard, the first pass that runs a detector only when the
   * characters its matches need occur) never hide a match: on random values built around real
   * matches, scanning finds exactly what every detector run directly finds.
   */
  @Test
  void shortcutsNeverHideAMatch() {
    String alphabet = "0123456789 -@.abcdeyJhbGciAKISBEGNOPRVTY_{}\"\n";
    Random random = new Random(20261201);
    for (DataPattern pattern : DataPattern.values()) {
      String seed = SHORTEST.get(pattern);
      int matched = 0;
      for (int i = 0; i < 20_000; i++) {
        StringBuilder v = new StringBuilder();
        int len = random.nextInt(seed.length() + 8);
        for (int k = 0; k < len; k++) {
          // Mostly the characters of a real match, mutated, so the detectors get close to matching.
          v.append(random.nextInt(4) > 0 && k < seed.length() ? seed.charAt(k)
              : alphabet.charAt(random.nextInt(alphabet.length())));
        }
        byte[] b = v.toString().getBytes(StandardCharsets.US_ASCII);
        List<String> direct = everyDetector(pattern, b);
        matched += direct.isEmpty() ? 0 : 1;
        assertThat(found(pattern, v.toString())).as(pattern + " in " + v).isEqualTo(direct);
      }
      assertThat(matched).as(pattern + ": values that matched").isPositive();
    }
  }

  @Test
  void mergesOverlapsAcrossPatterns() {
    String value = "a@b.com 4111111111111111 AKIAIOSFODNN7EXAMPLE 123-45-6789";
    assertThat(found(EnumSet.allOf(DataPattern.class), value))
        .containsExactly("a@b.com", "4111111111111111", "AKIAIOSFODNN7EXAMPLE", "123-45-6789");
    String inKey = "-----BEGIN PRIVATE KEY-----\na@b.com 4111111111111111\n-----END PRIVATE KEY-----";
    assertThat(found(EnumSet.allOf(DataPattern.class), inKey)).containsExactly(inKey);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "1 ", "4111 ", "1", "a@", "a.", "@a.", "eyJ.", "eyJhbGciOiJIUzI1NiJ9.", "-----BEGIN ",
    "-----BEGIN PRIVATE KEY-----", "AKIA", "DE89 ", "DE89", "1-", "123-45-", "-", "a@a-", "x.eyJ@"})
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void scansOneMegabyteAdversarialValueInLinearTime(String unit) {
    String value = unit.repeat(1_000_000 / unit.length());
    long start = System.nanoTime();
    found(EnumSet.allOf(DataPattern.class), value);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(millis).as("ms to scan 1 MB of %s", unit).isLessThan(2_000);
  }
}
