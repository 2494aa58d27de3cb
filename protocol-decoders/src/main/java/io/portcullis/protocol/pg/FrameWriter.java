package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** Writes the header of a typed or startup frame and fills in its Int32 length afterwards. */
final class FrameWriter {

  private FrameWriter() {}

  /** Writes the type byte and a length placeholder; returns the length's index for {@link #end}. */
  static int begin(ByteBuf out, byte type) {
    out.writeByte(type);
    return beginUntyped(out);
  }

  /** Writes a length placeholder for an untyped startup packet; returns its index. */
  static int beginUntyped(ByteBuf out) {
    int lengthIndex = out.writerIndex();
    out.writeInt(0);
    return lengthIndex;
  }

  /** Sets the Int32 length (which counts itself but not the type byte). */
  static void end(ByteBuf out, int lengthIndex) {
    out.setInt(lengthIndex, out.writerIndex() - lengthIndex);
  }

  /** Writes a message that has no body: type and length 4. */
  static void empty(ByteBuf out, byte type) {
    out.writeByte(type);
    out.writeInt(4);
  }

  /** Writes an Int32 length and the bytes, or length -1 for null (SQL NULL). */
  static void writeNullableBytes(ByteBuf out, byte[] value) {
    if (value == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(value.length);
      out.writeBytes(value);
    }
  }

  /** Renders a type byte for messages: {@code 'Q'} when printable, {@code 0x01} otherwise. */
  static String describeType(byte type) {
    return type >= 0x20 && type < 0x7F
        ? "'" + (char) type + "'"
        : String.format("0x%02x", type & 0xFF);
  }
}
