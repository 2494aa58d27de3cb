package io.portcullis.mask;

/** Byte classes and searches shared by the detectors; every byte of 0x80 and above is "other". */
final class Ascii {

  private Ascii() {}

  static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  static boolean isUpper(byte c) {
    return c >= 'A' && c <= 'Z';
  }

  static boolean isLetter(byte c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  static boolean isAlnum(byte c) {
    return isDigit(c) || isLetter(c);
  }

  /** The first index of {@code needle} in {@code b[from, to)}, or -1; naive, needles are short. */
  static int indexOf(byte[] b, byte[] needle, int from, int to) {
    byte first = needle[0];
    int last = to - needle.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (b[i] != first) {
        continue;
      }
      for (int k = 1; k < needle.length; k++) {
        if (b[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
