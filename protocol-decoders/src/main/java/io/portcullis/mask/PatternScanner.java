package io.portcullis.mask;

/**
 * Finds pattern matches in a value: a value shorter than the shortest possible match of every
 * wanted pattern is not looked at; otherwise one branch-free pass counts digits and notes which
 * characters the other patterns are built from occur ({@code @}, {@code .}, {@code -}, {@code A},
 * {@code I}, {@code B}, {@code J}, {@code e}, {@code y}), then only the detectors whose every
 * required character is there run. Every detector is linear in the value's length.
 */
final class PatternScanner {

  private static final int CARD = DataPattern.CREDIT_CARD.ordinal();
  private static final int EMAIL = DataPattern.EMAIL.ordinal();
  private static final int SSN = DataPattern.US_SSN.ordinal();
  private static final int IBAN = DataPattern.IBAN.ordinal();
  private static final int AWS = DataPattern.AWS_ACCESS_KEY.ordinal();
  private static final int JWT = DataPattern.JWT.ordinal();
  private static final int KEY = DataPattern.PRIVATE_KEY.ordinal();

  /*
   * Character classes for the first pass. Each detector runs only if the value holds every class
   * its matches must contain: an email '@' and '.'; an AWS key 'A' and 'I' (AKIA, ASIA); a JWT
   * "eyJ" and two dots; a private key "-----BEGIN ". DIGIT is 1 so that it also counts.
   */
  private static final int DIGIT = 1;
  private static final int AT = 1 << 1;
  private static final int DOT = 1 << 2;
  private static final int DASH = 1 << 3;
  private static final int UPPER_A = 1 << 4;
  private static final int UPPER_I = 1 << 5;
  private static final int UPPER_B = 1 << 6;
  private static final int UPPER_J = 1 << 7;
  private static final int LOWER_E = 1 << 8;
  private static final int LOWER_Y = 1 << 9;
  private static final int[] CLASSES = new int[256];

  static {
    for (int c = '0'; c <= '9'; c++) {
      CLASSES[c] = DIGIT;
    }
    CLASSES['@'] = AT;
    CLASSES['.'] = DOT;
    CLASSES['-'] = DASH;
    CLASSES['A'] = UPPER_A;
    CLASSES['I'] = UPPER_I;
    CLASSES['B'] = UPPER_B;
    CLASSES['J'] = UPPER_J;
    CLASSES['e'] = LOWER_E;
    CLASSES['y'] = LOWER_Y;
  }

  private static final int[] MIN_LENGTH = new int[DataPattern.values().length];

  static {
    for (DataPattern p : DataPattern.values()) {
      MIN_LENGTH[p.ordinal()] = minLength(p);
    }
  }

  private PatternScanner() {}

  /**
   * The fewest bytes a match of {@code pattern} spans, as its detector requires: no detector adds
   * a shorter span.
   */
  static int minLength(DataPattern pattern) {
    return switch (pattern) {
      case CREDIT_CARD -> 13; // 13 digits
      case EMAIL -> 6; // a@b.cd: a local character, '@', two labels, the last of two letters
      case US_SSN -> 11; // AAA-GG-SSSS
      case IBAN -> 15; // 15 characters, more when printed in groups
      case AWS_ACCESS_KEY -> 20; // AKIA or ASIA and 16
      case JWT -> 10; // a header of 8 base64url characters (6 bytes, the fewest for {"alg") and 2 dots
      case PRIVATE_KEY -> 27; // "-----BEGIN ", a label holding "PRIVATE KEY", "-----"
    };
  }

  /**
   * The fewest bytes a value must have to hold a match of any pattern with a strategy in {@code
   * byPattern}; a shorter value needs no scan. {@link Integer#MAX_VALUE} when there is none.
   */
  static int minLength(MaskStrategy[] byPattern) {
    int min = Integer.MAX_VALUE;
    for (int p = 0; p < byPattern.length; p++) {
      if (byPattern[p] != null) {
        min = Math.min(min, MIN_LENGTH[p]);
      }
    }
    return min;
  }

  /**
   * Scans {@code b[from, to)} for the patterns that have a strategy in {@code byPattern} (indexed
   * by ordinal); leaves the merged spans in {@code m} and returns whether there are any.
   */
  static boolean scan(byte[] b, int from, int to, MaskStrategy[] byPattern, Matches m) {
    return scan(b, from, to, byPattern, minLength(byPattern), m);
  }

  /**
   * {@link #scan(byte[], int, int, MaskStrategy[], Matches)} with {@code minLength} precomputed
   * from {@code byPattern} by {@link #minLength}: a value shorter than that is not looked at.
   */
  static boolean scan(byte[] b, int from, int to, MaskStrategy[] byPattern, int minLength, Matches m) {
    m.clear();
    if (to - from < minLength) {
      return false; // too short for any match: most numbers, flags, codes and short names
    }
    boolean digitPatterns = byPattern[CARD] != null || byPattern[SSN] != null || byPattern[IBAN] != null;
    boolean otherPatterns = byPattern[EMAIL] != null || byPattern[AWS] != null
        || byPattern[JWT] != null || byPattern[KEY] != null;
    int digits = 0;
    int seen = 0;
    if (!otherPatterns) {
      if (digitPatterns) {
        digits = countDigits(b, from, to);
      }
    } else {
      // Branch-free over the bytes: count digits, note which of the characters the other
      // patterns need occur at all. The detectors themselves find where.
      for (int i = from; i < to; i++) {
        int c = CLASSES[b[i] & 0xFF];
        digits += c & DIGIT;
        seen |= c;
      }
    }
    if (digits >= 13 && byPattern[CARD] != null) {
      NumberPatterns.findCards(b, from, to, byPattern[CARD], m);
    }
    if (digits >= 9 && byPattern[SSN] != null) {
      NumberPatterns.findSsns(b, from, to, byPattern[SSN], m);
    }
    if (digits >= 2 && to - from >= 15 && byPattern[IBAN] != null) {
      TextPatterns.findIbans(b, from, to, byPattern[IBAN], m);
    }
    if (has(seen, AT | DOT) && byPattern[EMAIL] != null) {
      TextPatterns.findEmails(b, from, to, byPattern[EMAIL], m);
    }
    if (has(seen, UPPER_A | UPPER_I) && byPattern[AWS] != null) {
      SecretPatterns.findAwsKeys(b, from, to, byPattern[AWS], m);
    }
    if (has(seen, LOWER_E | LOWER_Y | UPPER_J | DOT) && byPattern[JWT] != null) {
      SecretPatterns.findJwts(b, from, to, byPattern[JWT], m);
    }
    if (has(seen, DASH | UPPER_B) && byPattern[KEY] != null) {
      SecretPatterns.findPrivateKeys(b, from, to, byPattern[KEY], m);
    }
    m.sortAndMerge();
    return m.count() > 0;
  }

  /** Whether every character class in {@code classes} was seen. */
  private static boolean has(int seen, int classes) {
    return (seen & classes) == classes;
  }

  /** Branch-free: most values are short and the common answer is "too few digits". */
  private static int countDigits(byte[] b, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n += (char) (b[i] - '0') < 10 ? 1 : 0;
    }
    return n;
  }
}
