package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * SASLInitialResponse: the chosen SASL mechanism and the client's first message.
 *
 * @param mechanism for example {@code SCRAM-SHA-256}
 * @param data the initial response, or null for none
 */
public record SASLInitialResponse(String mechanism, byte[] data) implements FrontendMessage {

  public static SASLInitialResponse decode(ByteBuf in) {
    String mechanism = PgCodec.readString(in);
    int length = PgCodec.readInt(in, "SASLInitialResponse length");
    byte[] data = length == -1 ? null : PgCodec.readBytes(in, Math.max(length, 0), "SASLInitialResponse data");
    if (length < -1) {
      throw new PgProtocolException("SASLInitialResponse length: " + length + " (expected: >= -1)");
    }
    PgCodec.end(in, "SASLInitialResponse");
    return new SASLInitialResponse(mechanism, data);
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'p');
    PgCodec.writeString(out, mechanism);
    if (data == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(data.length).writeBytes(data);
    }
    PgCodec.finish(out, at);
  }

  @Override
  public String toString() {
    return "SASLInitialResponse[mechanism=" + mechanism + ", data=<redacted>]";
  }
}
