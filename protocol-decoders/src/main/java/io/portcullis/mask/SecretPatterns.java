package io.portcullis.mask;

import static io.portcullis.mask.Ascii.isAlnum;
import static io.portcullis.mask.Ascii.isDigit;
import static io.portcullis.mask.Ascii.isUpper;

import java.nio.charset.StandardCharsets;

/** Detectors for secrets: AWS access key ids, JWTs and PEM private key blocks. */
final class SecretPatterns {

  static final byte[] BEGIN = "-----BEGIN ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "-----END ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DASHES = "-----".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PRIVATE_KEY = "PRIVATE KEY".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EYJ = "eyJ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ALG = "\"alg\"".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_LABEL = 64;
  private static final int MAX_JWT_PARTS = 5;

  private SecretPatterns() {}

  /** {@code AKIA} or {@code ASIA} and 16 upper-case letters or digits, not touching a letter or digit. */
  static void findAwsKeys(byte[] b, int from, int to, MaskStrategy strategy, Matches m) {
    for (int i = from; i + 20 <= to; i++) {
      if (b[i] != 'A' || b[i + 2] != 'I' || b[i + 3] != 'A' || (b[i + 1] != 'K' && b[i + 1] != 'S')
          || (i > from && isAlnum(b[i - 1]))) {
        continue;
      }
      int k = i + 4;
      while (k < i + 20 && (isUpper(b[k]) || isDigit(b[k]))) {
        k++;
      }
      if (k == i + 20 && (k == to || !isAlnum(b[k]))) {
        m.add(i, k, strategy);
        i = k - 1;
      }
    }
  }

  /**
   * JWTs (and JWEs): an {@code eyJ} base64url part not preceded by base64url or a dot, then at least
   * two more dot-separated parts (up to five, later ones may be empty), whose first part decodes to
   * a JSON object containing {@code "alg"}. Linear: candidates never overlap.
   */
  static void findJwts(byte[] b, int from, int to, MaskStrategy strategy, Matches m) {
    int i = from;
    while (true) {
      int j = Ascii.indexOf(b, EYJ, i, to);
      if (j < 0) {
        return;
      }
      if (j > from && (isBase64Url(b[j - 1]) || b[j - 1] == '.')) {
        i = j + 1;
        continue;
      }
      int header = run(b, j, to);
      int last = header;
      int parts = 1;
      while (parts < MAX_JWT_PARTS && last < to && b[last] == '.') {
        int next = run(b, last + 1, to);
        if (next == last + 1 && parts >= 3) {
          break; // a dot after a complete token ends a sentence, not a part
        }
        last = next;
        parts++;
      }
      if (parts >= 3 && headerHasAlg(b, j, header, m.decoded)) {
        m.add(j, last, strategy);
      }
      i = Math.max(last, j + 1);
    }
  }

  private static int run(byte[] b, int p, int to) {
    while (p < to && isBase64Url(b[p])) {
      p++;
    }
    return p;
  }

  private static boolean isBase64Url(byte c) {
    return isAlnum(c) || c == '-' || c == '_';
  }

  /** Decodes (a bounded prefix of) the header and looks for a JSON object with "alg". */
  private static boolean headerHasAlg(byte[] b, int from, int to, byte[] out) {
    int limit = Math.min(to, from + out.length / 3 * 4);
    int n = 0;
    int bits = 0;
    int acc = 0;
    for (int k = from; k < limit; k++) {
      acc = (acc << 6) | sextet(b[k]);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[n++] = (byte) (acc >> bits);
      }
    }
    int p = 0;
    while (p < n && (out[p] == ' ' || out[p] == '\t' || out[p] == '\r' || out[p] == '\n')) {
      p++;
    }
    return p < n && out[p] == '{' && Ascii.indexOf(out, ALG, p, n) >= 0;
  }

  private static int sextet(byte c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    return c == '-' ? 62 : 63;
  }

  /**
   * {@code -----BEGIN <label>-----} where the label is upper-case letters, digits and spaces and
   * contains {@code PRIVATE KEY}, through the closing dashes of the following END line; without an
   * END line, through the end of the value (a truncated key is still a secret).
   */
  static void findPrivateKeys(byte[] b, int from, int to, MaskStrategy strategy, Matches m) {
    int i = from;
    while (true) {
      int s = Ascii.indexOf(b, BEGIN, i, to);
      if (s < 0) {
        return;
      }
      int labelStart = s + BEGIN.length;
      int close = Ascii.indexOf(b, DASHES, labelStart, Math.min(to, labelStart + MAX_LABEL));
      if (close < 0 || !privateKeyLabel(b, labelStart, close)) {
        i = labelStart;
        continue;
      }
      int stop = to;
      int e = Ascii.indexOf(b, END, close + DASHES.length, to);
      if (e >= 0) {
        int endLabel = e + END.length;
        int c = Ascii.indexOf(b, DASHES, endLabel, Math.min(to, endLabel + MAX_LABEL));
        if (c >= 0) {
          stop = c + DASHES.length;
        }
      }
      m.add(s, stop, strategy);
      i = stop;
    }
  }

  private static boolean privateKeyLabel(byte[] b, int from, int to) {
    for (int k = from; k < to; k++) {
      if (!(isUpper(b[k]) || isDigit(b[k]) || b[k] == ' ')) {
        return false;
      }
    }
    return Ascii.indexOf(b, PRIVATE_KEY, from, to) >= 0;
  }
}
