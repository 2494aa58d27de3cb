package io.portcullis.mask;

/** Decoding and encoding of one field of a textual COPY row, in text or CSV format. */
final class CopyCodec {

  private CopyCodec() {}

  /**
   * The end of the text-format field starting at {@code p}: the index of the delimiter or newline
   * after it, or -1 if the data ends first. Escaped bytes ({@code \} and any byte) never end it.
   */
  static int textFieldEnd(byte[] d, int p, int end, byte delimiter) {
    while (p < end) {
      byte c = d[p];
      if (c == '\\') {
        p += 2;
      } else if (c == delimiter || c == '\n') {
        return p;
      } else {
        p++;
      }
    }
    return -1;
  }

  /** Decodes text-format escapes in {@code d[from, to)} into {@code out}. */
  static void textDecode(byte[] d, int from, int to, ByteSink out) {
    out.clear();
    int p = from;
    while (p < to) {
      byte c = d[p++];
      if (c != '\\' || p >= to) {
        out.write(c);
        continue;
      }
      c = d[p++];
      switch (c) {
        case 'b' -> out.write((byte) '\b');
        case 'f' -> out.write((byte) '\f');
        case 'n' -> out.write((byte) '\n');
        case 'r' -> out.write((byte) '\r');
        case 't' -> out.write((byte) '\t');
        case 'v' -> out.write((byte) 0x0B);
        case 'x' -> {
          int v = 0;
          int n = 0;
          while (n < 2 && p < to && hex(d[p]) >= 0) {
            v = v * 16 + hex(d[p++]);
            n++;
          }
          out.write(n == 0 ? (byte) 'x' : (byte) v);
        }
        default -> {
          if (c >= '0' && c <= '7') {
            int v = c - '0';
            for (int n = 1; n < 3 && p < to && d[p] >= '0' && d[p] <= '7'; n++) {
              v = v * 8 + (d[p++] - '0');
            }
            out.write((byte) v);
          } else {
            out.write(c);
          }
        }
      }
    }
  }

  /** Writes {@code v[0, len)} escaped for text format, as PostgreSQL's COPY TO does. */
  static void textEncode(byte[] v, int len, byte delimiter, ByteSink out) {
    for (int i = 0; i < len; i++) {
      byte c = v[i];
      byte e = switch (c) {
        case '\b' -> (byte) 'b';
        case '\f' -> (byte) 'f';
        case '\n' -> (byte) 'n';
        case '\r' -> (byte) 'r';
        case '\t' -> (byte) 't';
        case 0x0B -> (byte) 'v';
        case '\\' -> (byte) '\\';
        default -> c == delimiter ? c : 0;
      };
      if (e != 0) {
        out.write((byte) '\\');
        out.write(e);
      } else {
        out.write(c);
      }
    }
  }

  /**
   * The end of the CSV field starting at {@code p} (index of the delimiter or newline after it), or
   * -1 if the data ends first or a closing quote is followed by anything else.
   */
  static int csvFieldEnd(byte[] d, int p, int end, CopyFormat f) {
    if (p < end && d[p] == f.quote()) {
      int q = p + 1;
      while (true) {
        if (q >= end) {
          return -1;
        }
        byte c = d[q];
        if (c == f.escape() && q + 1 < end && (d[q + 1] == f.quote() || d[q + 1] == f.escape())
            && (f.escape() != f.quote() || d[q + 1] == f.quote())) {
          q += 2;
        } else if (c == f.quote()) {
          q++;
          break;
        } else {
          q++;
        }
      }
      return q < end && (d[q] == f.delimiter() || d[q] == '\n') ? q : -1;
    }
    while (p < end) {
      if (d[p] == f.delimiter() || d[p] == '\n') {
        return p;
      }
      p++;
    }
    return -1;
  }

  /** Decodes the inside of a quoted CSV field {@code d[from, to)} (quotes excluded) into {@code out}. */
  static void csvDecode(byte[] d, int from, int to, CopyFormat f, ByteSink out) {
    out.clear();
    for (int p = from; p < to; p++) {
      byte c = d[p];
      if (c == f.escape() && p + 1 < to && (d[p + 1] == f.quote() || d[p + 1] == f.escape())) {
        p++;
        c = d[p];
      }
      out.write(c);
    }
  }

  /** Writes {@code v[0, len)} as a CSV field, quoted if asked or needed. */
  static void csvEncode(byte[] v, int len, boolean quote, CopyFormat f, byte[] nullBytes, ByteSink out) {
    boolean needs = quote || equals(v, len, nullBytes);
    for (int i = 0; i < len && !needs; i++) {
      byte c = v[i];
      needs = c == f.delimiter() || c == f.quote() || c == f.escape() || c == '\n' || c == '\r';
    }
    if (!needs) {
      out.write(v, 0, len);
      return;
    }
    out.write(f.quote());
    for (int i = 0; i < len; i++) {
      if (v[i] == f.quote() || v[i] == f.escape()) {
        out.write(f.escape());
      }
      out.write(v[i]);
    }
    out.write(f.quote());
  }

  static boolean equals(byte[] v, int len, byte[] other) {
    return regionEquals(v, 0, len, other);
  }

  static boolean regionEquals(byte[] v, int from, int len, byte[] other) {
    if (len != other.length) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (v[from + i] != other[i]) {
        return false;
      }
    }
    return true;
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
