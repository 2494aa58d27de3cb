package io.portcullis.mask;

import static java.util.Objects.requireNonNull;

/** How a masked value, or a masked match inside a value, is replaced; named as in decisions. */
public enum MaskStrategy {
  /** The fixed text {@code [REDACTED]}. */
  REDACT("redact", 2),
  /** Every character but the last four becomes {@code *}; four or fewer become all {@code *}. */
  PARTIAL("partial", 0),
  /** {@code hmac:} and the first 32 hex digits of the keyed HMAC-SHA-256 of the UTF-8 bytes. */
  HASH("hash", 1),
  /** SQL NULL: the whole value, even when only a match inside it was to be masked. */
  NULL("null", 3);

  private static final String EXPECTED = "redact, partial, hash, null";

  private final String wireName;
  private final int strictness;

  MaskStrategy(String wireName, int strictness) {
    this.wireName = wireName;
    this.strictness = strictness;
  }

  /** The name used in decisions, for example {@code redact}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The strategy a decision names.
   *
   * @throws IllegalArgumentException for an unknown name, for example {@code strategy: foo
   *     (expected: one of redact, partial, hash, null)}
   */
  public static MaskStrategy parse(String name) {
    requireNonNull(name, "name");
    for (MaskStrategy s : values()) {
      if (s.wireName.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("strategy: " + name + " (expected: one of " + EXPECTED + ")");
  }

  /**
   * The stricter of two strategies (null > redact > hash > partial), for a value two rules cover;
   * either may be Java null for "no strategy".
   */
  public static MaskStrategy stricter(MaskStrategy a, MaskStrategy b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.strictness >= b.strictness ? a : b;
  }
}
