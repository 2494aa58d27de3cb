package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** SASLResponse: a later message of a SASL exchange. */
public record SASLResponse(byte[] data) implements FrontendMessage {

  public static SASLResponse decode(ByteBuf in) {
    return new SASLResponse(PgCodec.readRest(in));
  }

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('p').writeInt(4 + data.length).writeBytes(data);
  }

  @Override
  public String toString() {
    return "SASLResponse[data=<redacted>]";
  }
}
