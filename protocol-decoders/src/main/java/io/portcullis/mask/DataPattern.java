package io.portcullis.mask;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** A kind of sensitive data found inside textual values, whatever the column; named as in decisions. */
public enum DataPattern {
  /** 13 to 19 digits, optionally grouped by spaces or dashes, Luhn-checked. */
  CREDIT_CARD("credit_card"),
  /** An address: local part, {@code @}, a dotted domain with an alphabetic top-level label. */
  EMAIL("email"),
  /** {@code AAA-GG-SSSS} with area not 000, 666 or 900-999, group not 00, serial not 0000. */
  US_SSN("us_ssn"),
  /** An ISO 13616 IBAN, electronic or printed in groups of four, mod-97 checked. */
  IBAN("iban"),
  /** {@code AKIA} or {@code ASIA} and 16 upper-case letters or digits. */
  AWS_ACCESS_KEY("aws_access_key"),
  /** Three or more base64url parts whose first decodes to a JSON object with {@code "alg"}. */
  JWT("jwt"),
  /** A {@code -----BEGIN ... PRIVATE KEY-----} block through its END line (or the value's end). */
  PRIVATE_KEY("private_key");

  /** The group name for {@link #AWS_ACCESS_KEY}, {@link #JWT} and {@link #PRIVATE_KEY}. */
  public static final String SECRET = "secret";

  private static final Set<DataPattern> SECRETS =
      Collections.unmodifiableSet(EnumSet.of(AWS_ACCESS_KEY, JWT, PRIVATE_KEY));

  private static final String EXPECTED =
      "credit_card, email, us_ssn, iban, aws_access_key, jwt, private_key, secret";

  private final String wireName;

  DataPattern(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in decisions, for example {@code credit_card}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The patterns a decision name stands for: one, or three for {@code secret}.
   *
   * @throws IllegalArgumentException for an unknown name, for example {@code pattern: foo
   *     (expected: one of credit_card, ...)}
   */
  public static Set<DataPattern> parse(String name) {
    requireNonNull(name, "name");
    if (SECRET.equals(name)) {
      return SECRETS;
    }
    for (DataPattern p : values()) {
      if (p.wireName.equals(name)) {
        return Collections.unmodifiableSet(EnumSet.of(p));
      }
    }
    throw new IllegalArgumentException("pattern: " + name + " (expected: one of " + EXPECTED + ")");
  }
}
