package io.portcullis.mask;

import static io.portcullis.mask.Ascii.isAlnum;
import static io.portcullis.mask.Ascii.isDigit;

/** Detectors for digit patterns: card numbers and US social security numbers. */
final class NumberPatterns {

  private NumberPatterns() {}

  /**
   * Card numbers. A chain is digit groups joined by single spaces or dashes; a card is a run of
   * whole groups of the chain (never part of a digit run): one group of 13-19 digits, or a group of
   * 4 followed by groups of 3-6 with one kind of separator (4-4-4-4, 4-6-5, 4-4-4-4-3), 13-19
   * digits in all, not starting with 0, Luhn-valid, not touching a letter. Dates and phone numbers
   * have too few digits or mixed separators. Linear: a card spans at most 5 groups.
   */
  static void findCards(byte[] b, int from, int to, MaskStrategy strategy, Matches m) {
    int i = from;
    while (i < to) {
      if (!isDigit(b[i])) {
        i++;
        continue;
      }
      int n = 0;
      int p = i;
      while (true) {
        int start = p;
        while (p < to && isDigit(b[p])) {
          p++;
        }
        m.group(n++, start, p);
        if (p + 1 < to && (b[p] == ' ' || b[p] == '-') && isDigit(b[p + 1])) {
          p++;
          continue;
        }
        break;
      }
      boolean letterBefore = i > from && isAlnum(b[i - 1]);
      boolean letterAfter = p < to && isAlnum(b[p]);
      cardsInChain(b, n, letterBefore, letterAfter, strategy, m);
      i = p;
    }
  }

  private static void cardsInChain(
      byte[] b, int n, boolean letterBefore, boolean letterAfter, MaskStrategy strategy, Matches m) {
    int[] gs = m.groupStarts;
    int[] ge = m.groupEnds;
    int s = 0;
    while (s < n) {
      int best = -1;
      int first = ge[s] - gs[s];
      if (!(s == 0 && letterBefore)) {
        if (first >= 13 && first <= 19) {
          if (!(s == n - 1 && letterAfter) && luhn(b, gs[s], ge[s])) {
            best = s;
          }
        } else if (first == 4) {
          byte separator = s + 1 < n ? b[ge[s]] : 0;
          int total = 4;
          for (int e = s + 1; e < n; e++) {
            int len = ge[e] - gs[e];
            if (b[ge[e - 1]] != separator || len < 3 || len > 6 || (total += len) > 19) {
              break;
            }
            if (total >= 13 && !(e == n - 1 && letterAfter) && luhn(b, gs[s], ge[e])) {
              best = e;
            }
          }
        }
      }
      if (best >= 0) {
        m.add(gs[s], ge[best], strategy);
        s = best + 1;
      } else {
        s++;
      }
    }
  }

  /** Luhn check over the digits of {@code b[from, to)}, which starts with a digit other than 0. */
  static boolean luhn(byte[] b, int from, int to) {
    if (b[from] == '0') {
      return false;
    }
    int sum = 0;
    boolean twice = false;
    for (int k = to - 1; k >= from; k--) {
      if (!isDigit(b[k])) {
        continue;
      }
      int d = b[k] - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  /** US SSNs written {@code AAA-GG-SSSS}, not touching a letter, digit or dash on either side. */
  static void findSsns(byte[] b, int from, int to, MaskStrategy strategy, Matches m) {
    for (int i = from; i + 11 <= to; i++) {
      if (!isDigit(b[i]) || (i > from && (isAlnum(b[i - 1]) || b[i - 1] == '-'))) {
        continue;
      }
      if (!(isDigit(b[i + 1]) && isDigit(b[i + 2]) && b[i + 3] == '-'
          && isDigit(b[i + 4]) && isDigit(b[i + 5]) && b[i + 6] == '-'
          && isDigit(b[i + 7]) && isDigit(b[i + 8]) && isDigit(b[i + 9]) && isDigit(b[i + 10]))) {
        continue;
      }
      if (i + 11 < to && (isAlnum(b[i + 11]) || b[i + 11] == '-')) {
        continue;
      }
      int area = number(b, i, 3);
      int group = number(b, i + 4, 2);
      int serial = number(b, i + 7, 4);
      if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) {
        continue;
      }
      m.add(i, i + 11, strategy);
      i += 10;
    }
  }

  private static int number(byte[] b, int at, int digits) {
    int v = 0;
    for (int k = 0; k < digits; k++) {
      v = v * 10 + (b[at + k] - '0');
    }
    return v;
  }
}
