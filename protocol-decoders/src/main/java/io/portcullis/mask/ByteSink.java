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

  private void ensure(int more) {
    if (bytes.length - length < more) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
