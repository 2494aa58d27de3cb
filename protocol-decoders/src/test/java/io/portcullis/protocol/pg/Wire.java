package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.Consumer;

/** Builds golden wire bytes by hand, as the protocol docs lay them out. */
final class Wire {

  private Wire() {}

  /**
   * Concatenates parts: a Character is one byte, a String its UTF-8 bytes (no NUL: write {@code
   * hex("00")}), a byte[] itself. Integers are refused so a length is never guessed at.
   */
  static byte[] wire(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      switch (part) {
        case Character c -> out.write((byte) c.charValue());
        case String s -> out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        case byte[] b -> out.writeBytes(b);
        default -> throw new IllegalArgumentException("part: " + part.getClass());
      }
    }
    return out.toByteArray();
  }

  /** Bytes from hex pairs separated by spaces, for example {@code "00 00 00 0d"}. */
  static byte[] hex(String pairs) {
    return HexFormat.of().parseHex(pairs.replace(" ", ""));
  }

  /** What {@code writer} writes into a fresh buffer, which is released afterwards. */
  static byte[] written(Consumer<ByteBuf> writer) {
    ByteBuf out = Unpooled.buffer();
    try {
      writer.accept(out);
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  /**
   * A buffer holding the whole frame with its reader index on the payload, so decoding reads from
   * a non-zero index and any movement of it shows. The caller releases it.
   */
  static ByteBuf payloadAfterHeader(byte[] frame, int headerBytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(frame);
    buf.readerIndex(headerBytes);
    return buf;
  }
}
