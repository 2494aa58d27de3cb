package io.portcullis.mask;

/**
 * Finds pattern matches in a value: one cheap pass collects what the patterns need (digits, an
 * {@code @}, {@code eyJ}, {@code AKIA}/{@code ASIA}, {@code -----BEGIN }), then only the detectors
 * that can match run. Every detector is linear in the value's length.
 */
final class PatternScanner {

  private static final int CARD = DataPattern.CREDIT_CARD.ordinal();
  private static final int EMAIL = DataPattern.EMAIL.ordinal();
  private static final int SSN = DataPattern.US_SSN.ordinal();
  private static final int IBAN = DataPattern.IBAN.ordinal();
  private static final int AWS = DataPattern.AWS_ACCESS_KEY.ordinal();
  private static final int JWT = DataPattern.JWT.ordinal();
  private static final int KEY = DataPattern.PRIVATE_KEY.ordinal();

  private PatternScanner() {}

  /**
   * Scans {@code b[from, to)} for the patterns that have a strategy in {@code byPattern} (indexed
   * by ordinal); leaves the merged spans in {@code m} and returns whether there are any.
   */
  static boolean scan(byte[] b, int from, int to, MaskStrategy[] byPattern, Matches m) {
    m.clear();
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
