package io.portcullis.mask;

import java.util.Arrays;

/** A growable byte array that masked values are built in, reused from value to value. */
final class ByteSink {

  private byte[] bytes = new byte[256];
  private int length;

  void clear() {
    length = 0;
  }

  byte[] array() {
    return bytes;
  }

  int length() {
    return length;
  }

  void write(byte b) {
    ensure(1);
    bytes[length++] = b;
  }

  void write(byte[] src, int off, int len) {
    ensure(len);
    System.arraycopy(src, off, bytes, length, len);
    length += len;
  }

  void write(byte[] src) {
    write(src, 0, src.length);
  }

  /** Appends {@code count} copies of {@code b}. */
  void fill(byte b, int count) {
    ensure(count);
    Arrays.fill(bytes, length, length + count, b);
    length += count;
  }

  /** Appends a big-endian Int32, as the PostgreSQL protocol writes lengths. */
  void writeInt(int v) {
    ensure(4);
    setInt(length, v);
    length += 4;
  }

  /** Overwrites the four bytes at {@code at} (already written) with a big-endian Int32. */
  void setInt(int at, int v) {
    bytes[at] = (byte) (v >>> 24);
    bytes[at + 1] = (byte) (v >>> 16);
    bytes[at + 2] = (byte) (v >>> 8);
    bytes[at + 3] = (byte) v;
  }

  private void ensure(int more) {
    if (bytes.length - length < more) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
