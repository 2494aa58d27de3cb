package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reading and writing the protocol's primitive types, strictly. */
final class PgCodec {

  private PgCodec() {}

  /** Reads a NUL-terminated UTF-8 string; invalid UTF-8 or a missing terminator is a violation. */
  static String readString(ByteBuf in) {
    int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) 0);
    if (end < 0) {
      throw new PgProtocolException("string: missing NUL terminator");
    }
    String value = decodeUtf8(in, in.readerIndex(), end - in.readerIndex());
    in.readerIndex(end + 1);
    return value;
  }

  static String decodeUtf8(ByteBuf in, int index, int length) {
    ByteBuffer bytes = in.nioBufferCount() == 1 ? in.nioBuffer(index, length)
        : ByteBuffer.wrap(copy(in, index, length));
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes).toString();
    } catch (CharacterCodingException e) {
      throw new PgProtocolException("string: invalid UTF-8");
    }
  }

  private static byte[] copy(ByteBuf in, int index, int length) {
    byte[] out = new byte[length];
    in.getBytes(index, out);
    return out;
  }

  /** Writes a string and its NUL terminator; a string containing NUL cannot be sent. */
  static void writeString(ByteBuf out, String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("string contains NUL: not representable in the protocol");
    }
    out.writeCharSequence(value, StandardCharsets.UTF_8);
    out.writeByte(0);
  }

  static int readInt(ByteBuf in, String what) {
    need(in, 4, what);
    return in.readInt();
  }

  static short readShort(ByteBuf in, String what) {
    need(in, 2, what);
    return in.readShort();
  }

  static byte readByte(ByteBuf in, String what) {
    need(in, 1, what);
    return in.readByte();
  }

  static int readCount(ByteBuf in, String what) {
    short count = readShort(in, what);
    if (count < 0) {
      throw new PgProtocolException(what + ": " + count + " (expected: >= 0)");
    }
    return count;
  }

  static short[] readShorts(ByteBuf in, String what) {
    int count = readCount(in, what);
    need(in, count * 2, what);
    short[] values = new short[count];
    for (int i = 0; i < count; i++) {
      values[i] = in.readShort();
    }
    return values;
  }

  static void writeShorts(ByteBuf out, short[] values) {
    out.writeShort(values.length);
    for (short v : values) {
      out.writeShort(v);
    }
  }

  /** Reads {@code count} length-prefixed values (-1 = NULL, as null). */
  static List<byte[]> readValues(ByteBuf in, int count, String what) {
    List<byte[]> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = readInt(in, what);
      if (length == -1) {
        values.add(null);
      } else if (length < 0) {
        throw new PgProtocolException(what + " length: " + length + " (expected: >= -1)");
      } else {
        values.add(readBytes(in, length, what));
      }
    }
    return values;
  }

  static void writeValues(ByteBuf out, List<byte[]> values) {
    for (byte[] v : values) {
      if (v == null) {
        out.writeInt(-1);
      } else {
        out.writeInt(v.length);
        out.writeBytes(v);
      }
    }
  }

  static byte[] readBytes(ByteBuf in, int length, String what) {
    need(in, length, what);
    byte[] bytes = new byte[length];
    in.readBytes(bytes);
    return bytes;
  }

  static byte[] readRest(ByteBuf in) {
    return readBytes(in, in.readableBytes(), "data");
  }

  static void need(ByteBuf in, int bytes, String what) {
    if (in.readableBytes() < bytes) {
      throw new PgProtocolException(what + ": truncated (need " + bytes + " bytes, have "
          + in.readableBytes() + ")");
    }
  }

  /** Fails when a message left bytes unread: every message must fill its length exactly. */
  static void end(ByteBuf in, String message) {
    if (in.isReadable()) {
      throw new PgProtocolException(message + ": " + in.readableBytes() + " trailing bytes");
    }
  }

  /** Starts a typed message; returns the index of its length field, for {@link #finish}. */
  static int begin(ByteBuf out, char type) {
    out.writeByte(type);
    int lengthIndex = out.writerIndex();
    out.writeInt(0);
    return lengthIndex;
  }

  static void finish(ByteBuf out, int lengthIndex) {
    out.setInt(lengthIndex, out.writerIndex() - lengthIndex);
  }
}
