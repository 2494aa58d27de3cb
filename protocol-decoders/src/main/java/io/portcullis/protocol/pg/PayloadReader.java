package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * A strict cursor over one message payload, for the static {@code decode} methods.
 *
 * <p>It reads with absolute gets so the caller's reader index never moves (the proxy forwards the
 * raw frame after decoding it), and every error names the message and the field it was reading.
 */
final class PayloadReader {

  private final ByteBuf buf;
  private final String message;
  private final int end;
  private int index;

  PayloadReader(ByteBuf payload, String message) {
    this.buf = requireNonNull(payload, "payload");
    this.message = message;
    this.index = payload.readerIndex();
    this.end = payload.writerIndex();
  }

  /** Checks that a message without a body has an empty payload. */
  static void expectEmpty(ByteBuf payload, String message) {
    new PayloadReader(payload, message).expectEnd();
  }

  int remaining() {
    return end - index;
  }

  byte readByte(String what) {
    need(1, what);
    return buf.getByte(index++);
  }

  short readInt16(String what) {
    need(2, what);
    short value = buf.getShort(index);
    index += 2;
    return value;
  }

  int readInt32(String what) {
    need(4, what);
    int value = buf.getInt(index);
    index += 4;
    return value;
  }

  /**
   * Reads an Int16 count. The server reads these as unsigned (up to 65535 parameters), so we do too;
   * the count is checked against the bytes left before anything is allocated for it.
   */
  int readCount16(String what, int minBytesPerItem) {
    int count = readInt16(what) & 0xFFFF;
    needItems(count, minBytesPerItem, what);
    return count;
  }

  /** Reads an Int32 count, rejecting negatives and counts the remaining bytes cannot hold. */
  int readCount32(String what, int minBytesPerItem) {
    int count = readInt32(what);
    if (count < 0) {
      throw error(what + ": " + count + " (expected: >= 0)");
    }
    needItems(count, minBytesPerItem, what);
    return count;
  }

  /** Reads an Int32 length and that many bytes; length -1 means NULL and returns null. */
  byte[] readNullableBytes(String what) {
    int length = readInt32(what + " length");
    if (length == -1) {
      return null;
    }
    if (length < -1) {
      throw error(what + " length: " + length + " (expected: >= -1)");
    }
    return readBytes(length, what);
  }

  byte[] readBytes(int length, String what) {
    need(length, what);
    byte[] bytes = new byte[length];
    buf.getBytes(index, bytes);
    index += length;
    return bytes;
  }

  byte[] readRest() {
    return readBytes(remaining(), "rest");
  }

  String readString(String what) {
    int nul = buf.indexOf(index, end, (byte) 0);
    if (nul < 0) {
      throw error("missing NUL terminator in " + what);
    }
    String value;
    try {
      value = PgStrings.decodeUtf8(buf, index, nul - index);
    } catch (PgProtocolException e) {
      throw error("invalid UTF-8 in " + what);
    }
    index = nul + 1;
    return value;
  }

  /** Fails unless the whole payload was consumed: a message must be exactly as long as it says. */
  void expectEnd() {
    if (index != end) {
      throw error("trailing bytes: " + (end - index) + " (expected: 0)");
    }
  }

  PgProtocolException error(String detail) {
    return new PgProtocolException(message + ": " + detail);
  }

  private void need(int bytes, String what) {
    if (end - index < bytes) {
      throw error(
          "truncated " + what + ": " + (end - index) + " bytes left (expected: >= " + bytes + ")");
    }
  }

  private void needItems(int count, int minBytesPerItem, String what) {
    if ((long) count * minBytesPerItem > end - index) {
      throw error(what + ": " + count + " exceeds the " + (end - index) + " bytes left");
    }
  }
}
