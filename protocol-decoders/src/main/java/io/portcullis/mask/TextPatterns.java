package io.portcullis.mask;

import static io.portcullis.mask.Ascii.isAlnum;
import static io.portcullis.mask.Ascii.isDigit;
import static io.portcullis.mask.Ascii.isLetter;
import static io.portcullis.mask.Ascii.isUpper;

/** Detectors for email addresses and IBANs. */
final class TextPatterns {

  /** RFC 5321 limits: a local part of 64 bytes, a domain of 253. */
  private static final int MAX_LOCAL = 64;
  private static final int MAX_DOMAIN = 253;

  private TextPatterns() {}

  /**
   * Email addresses, ASCII only: a local part of letters, digits and {@code . _ % + -} (not
   * starting or ending with a dot), then at least two domain labels, the last alphabetic of two or
   * more letters. Linear: the scans back and forth from each {@code @} stop at the next {@code @}.
   */
  static void findEmails(byte[] b, int from, int to, MaskStrategy strategy, Matches m) {
    int floor = from;
    for (int at = from; at < to; at++) {
      if (b[at] != '@') {
        continue;
      }
      int start = at;
      int min = Math.max(floor, at - MAX_LOCAL);
      while (start > min && isLocal(b[start - 1])) {
        start--;
      }
      while (start < at && b[start] == '.') {
        start++;
      }
      if (start == at || b[at - 1] == '.') {
        continue;
      }
      int end = domainEnd(b, at + 1, Math.min(to, at + 1 + MAX_DOMAIN));
      if (end > 0) {
        m.add(start, end, strategy);
        floor = end;
        at = end - 1;
      }
    }
  }

  /** The end of the longest run of labels ending in an alphabetic top-level label, or -1. */
  private static int domainEnd(byte[] b, int p, int limit) {
    int labels = 0;
    int best = -1;
    while (true) {
      int q = p;
      while (q < limit && (isAlnum(b[q]) || b[q] == '-')) {
        q++;
      }
      int end = q;
      while (end > p && b[end - 1] == '-') {
        end--;
      }
      if (end == p || b[p] == '-') {
        return best;
      }
      labels++;
      if (labels >= 2 && end - p >= 2 && alphabetic(b, p, end)) {
        best = end;
      }
      if (end == q && q + 1 < limit && b[q] == '.') {
        p = q + 1;
        continue;
      }
      return best;
    }
  }

  private static boolean alphabetic(byte[] b, int from, int to) {
    for (int k = from; k < to; k++) {
      if (!isLetter(b[k])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLocal(byte c) {
    return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }

  /**
   * IBANs: two upper-case letters, check digits 02-98, then upper-case letters and digits, 15-34 in
   * all, either contiguous or printed in groups of four separated by single spaces (the last group
   * shorter), mod-97 checked (ISO 7064); the longest valid prefix ending at a group wins.
   */
  static void findIbans(byte[] b, int from, int to, MaskStrategy strategy, Matches m) {
    for (int i = from; i + 15 <= to; i++) {
      if (!(isUpper(b[i]) && isUpper(b[i + 1]) && isDigit(b[i + 2]) && isDigit(b[i + 3]))
          || (i > from && isAlnum(b[i - 1]))) {
        continue;
      }
      int check = (b[i + 2] - '0') * 10 + (b[i + 3] - '0');
      if (check < 2 || check > 98) {
        continue;
      }
      int best = ibanEnd(b, i, to, check);
      if (best > 0) {
        m.add(i, best, strategy);
        i = best - 1;
      }
    }
  }

  private static int ibanEnd(byte[] b, int i, int to, int check) {
    int r = 0;
    int count = 4;
    int p = i + 4;
    int best = -1;
    if (p < to && b[p] != ' ') {
      while (p < to && count < 35 && isBban(b[p])) {
        r = step(r, b[p++]);
        count++;
      }
      boolean boundary = p >= to || !isAlnum(b[p]);
      return count >= 15 && count <= 34 && boundary && valid(r, b[i], b[i + 1], check) ? p : -1;
    }
    while (count < 34 && p + 1 < to && b[p] == ' ' && isBban(b[p + 1])) {
      int q = p + 1;
      int g = 0;
      while (q < to && g < 4 && count < 34 && isBban(b[q])) {
        r = step(r, b[q++]);
        g++;
        count++;
      }
      if (q < to && isAlnum(b[q])) {
        break;
      }
      p = q;
      if (count >= 15 && valid(r, b[i], b[i + 1], check)) {
        best = p;
      }
      if (g < 4) {
        break;
      }
    }
    return best;
  }

  private static boolean isBban(byte c) {
    return isUpper(c) || isDigit(c);
  }

  /** Appends one character to a mod-97 remainder: digits as themselves, letters as 10-35. */
  private static int step(int r, byte c) {
    return isDigit(c) ? (r * 10 + (c - '0')) % 97 : (r * 100 + (c - 'A' + 10)) % 97;
  }

  /** The rearranged number (BBAN, country, check digits) must leave remainder 1. */
  private static boolean valid(int r, byte c1, byte c2, int check) {
    r = step(r, c1);
    r = step(r, c2);
    r = (r * 100 + check) % 97;
    return r == 1;
  }
}
