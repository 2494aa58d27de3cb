package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;

/** Golden bytes written as hex with spaces, and helpers to compare encodings with them. */
final class Bytes {

  private Bytes() {}

  static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replace(" ", "").replace("\n", ""));
  }

  /** Text as hex of its UTF-8 bytes, for readable golden strings. */
  static String text(String s) {
    return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static String encode(FrontendMessage m) {
    return encoded(m::encode);
  }

  static String encode(BackendMessage m) {
    return encoded(m::encode);
  }

  static String encode(StartupPacket m) {
    return encoded(m::encode);
  }

  private static String encoded(java.util.function.Consumer<ByteBuf> encoder) {
    ByteBuf out = Unpooled.buffer();
    try {
      encoder.accept(out);
      return ByteBufUtil.hexDump(out);
    } finally {
      out.release();
    }
  }

  /** The payload of a whole golden frame (after type and length). */
  static ByteBuf payload(String spacedFrame) {
    byte[] frame = hex(spacedFrame);
    return Unpooled.wrappedBuffer(frame, 5, frame.length - 5);
  }
}
