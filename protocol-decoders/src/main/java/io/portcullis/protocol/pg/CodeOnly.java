package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** Codec for the startup packets that are nothing but a request code. */
final class CodeOnly {

  private CodeOnly() {}

  static void decode(ByteBuf body, String message, int expectedCode) {
    PayloadReader r = new PayloadReader(body, message);
    int code = r.readInt32("code");
    if (code != expectedCode) {
      throw r.error("code: " + code + " (expected: " + expectedCode + ")");
    }
    r.expectEnd();
  }

  static void encode(ByteBuf out, int code) {
    out.writeInt(8);
    out.writeInt(code);
  }
}
