package io.portcullis.mask;

import java.util.Arrays;

/** Renders binary-format int8 and numeric values as decimal text, so patterns can be checked. */
final class BinaryNumbers {

  private static final int NUMERIC_NAN = 0xC000;
  private static final int NUMERIC_NEG = 0x4000;

  private BinaryNumbers() {}

  static byte[] ensure(byte[] buf, int binaryLength) {
    // Each base-10000 digit (2 bytes) renders as at most 4 characters, plus sign, point, zeros.
    int need = binaryLength * 2 + 32;
    return buf.length >= need ? buf : Arrays.copyOf(buf, need);
  }

  /** Writes the int8 at {@code src[off, off+8)} as decimal into {@code out}; returns its length. */
  static int int8(byte[] src, int off, byte[] out) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (src[off + i] & 0xFF);
    }
    int n = 0;
    if (v < 0) {
      out[n++] = '-';
    }
    int digitsStart = n;
    // Work with negative values so Long.MIN_VALUE needs no special case.
    long neg = v < 0 ? v : -v;
    do {
      out[n++] = (byte) ('0' - (neg % 10));
      neg /= 10;
    } while (neg != 0);
    reverse(out, digitsStart, n);
    return n;
  }

  /**
   * Writes a binary numeric (ndigits, weight, sign, dscale, then base-10000 digits) as decimal
   * text into {@code out}, sized by {@link #ensure}; returns its length, 0 for NaN, -1 if malformed.
   */
  static int numeric(byte[] src, int off, int len, byte[] out) {
    if (len < 8) {
      return -1;
    }
    int ndigits = u16(src, off);
    int weight = (short) u16(src, off + 2);
    int sign = u16(src, off + 4);
    int dscale = u16(src, off + 6);
    if (len != 8 + 2 * ndigits || sign == NUMERIC_NAN || Math.abs(weight) > 4 * len + 8) {
      return sign == NUMERIC_NAN ? 0 : -1;
    }
    int n = 0;
    if (sign == NUMERIC_NEG) {
      out[n++] = '-';
    }
    if (weight < 0) {
      out[n++] = '0';
    } else {
      boolean leading = true;
      for (int d = 0; d <= weight; d++) {
        int digit = d < ndigits ? u16(src, off + 8 + 2 * d) : 0;
        for (int div = 1000; div > 0; div /= 10) {
          int x = (digit / div) % 10;
          if (leading && x == 0 && !(d == weight && div == 1)) {
            continue;
          }
          leading = false;
          if (n >= out.length) {
            return -1;
          }
          out[n++] = (byte) ('0' + x);
        }
      }
    }
    if (dscale > 0) {
      if (n >= out.length) {
        return -1;
      }
      out[n++] = '.';
      int written = 0;
      for (int d = weight + 1; written < dscale && n < out.length; d++) {
        int digit = d >= 0 && d < ndigits ? u16(src, off + 8 + 2 * d) : 0;
        for (int div = 1000; div > 0 && written < dscale && n < out.length; div /= 10) {
          out[n++] = (byte) ('0' + (digit / div) % 10);
          written++;
        }
      }
    }
    return n;
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  private static void reverse(byte[] b, int from, int to) {
    for (int i = from, j = to - 1; i < j; i++, j--) {
      byte t = b[i];
      b[i] = b[j];
      b[j] = t;
    }
  }
}
