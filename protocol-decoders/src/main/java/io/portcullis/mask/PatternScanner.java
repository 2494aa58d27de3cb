package io.portcullis.mask;

/**
 * Finds pattern matches in a value: a value shorter than the shortest possible match of every
 * wanted pattern is not looked at; otherwise one cheap pass collects what the patterns need
 * (digits, an {@code @}, {@code eyJ}, {@code AKIA}/{@code ASIA}, {@code -----BEGIN }), then only
 * the detectors that can match run. Every detector is linear in the value's length.
 */
final class PatternScanner {

  private static final int CARD = DataPattern.CREDIT_CARD.ordinal();
  private static final int EMAIL = DataPattern.EMAIL.ordinal();
  private static final int SSN = DataPattern.US_SSN.ordinal();
  private static final int IBAN = DataPattern.IBAN.ordinal();
  private static final int AWS = DataPattern.AWS_ACCESS_KEY.ordinal();
  private static final int JWT = DataPattern.JWT.ordinal();
  private static final int KEY = DataPattern.PRIVATE_KEY.ordinal();

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
    boolean at = false;
    boolean eyj = false;
    boolean aws = false;
    boolean begin = false;
    if (!otherPatterns) {
      if (digitPatterns) {
        digits = countDigits(b, from, to);
      }
    } else {
      for (int i = from; i < to; i++) {
        byte c = b[i];
        if (c >= '0' && c <= '9') {
          digits++;
        } else if (c == '@') {
          at = true;
        } else if (c == 'e') {
          eyj |= i + 2 < to && b[i + 1] == 'y' && b[i + 2] == 'J';
        } else if (c == 'A') {
          aws |= i + 3 < to && (b[i + 1] == 'K' || b[i + 1] == 'S') && b[i + 2] == 'I' && b[i + 3] == 'A';
        } else if (c == '-' && !begin) {
          begin = Ascii.startsWith(b, i, to, SecretPatterns.BEGIN);
        }
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
    if (at && byPattern[EMAIL] != null) {
      TextPatterns.findEmails(b, from, to, byPattern[EMAIL], m);
    }
    if (aws && byPattern[AWS] != null) {
      SecretPatterns.findAwsKeys(b, from, to, byPattern[AWS], m);
    }
    if (eyj && byPattern[JWT] != null) {
      SecretPatterns.findJwts(b, from, to, byPattern[JWT], m);
    }
    if (begin && byPattern[KEY] != null) {
      SecretPatterns.findPrivateKeys(b, from, to, byPattern[KEY], m);
    }
    m.sortAndMerge();
    return m.count() > 0;
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
