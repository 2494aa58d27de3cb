package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** Codec for the Int16-counted lists of Int16 format codes in Bind, FunctionCall and Copy*Response. */
final class Formats {

  private Formats() {}

  static short[] read(PayloadReader r, String what) {
    int count = r.readCount16(what + " count", 2);
    short[] formats = new short[count];
    for (int i = 0; i < count; i++) {
      formats[i] = r.readInt16(what);
    }
    return formats;
  }

  static void write(ByteBuf out, short[] formats) {
    out.writeShort(formats.length);
    for (short format : formats) {
      out.writeShort(format);
    }
  }
}
