package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** AuthenticationSASLFinal: the server's final SASL message (its signature). */
public record AuthenticationSASLFinal(byte[] data) implements BackendMessage {

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('R').writeInt(8 + data.length).writeInt(12).writeBytes(data);
  }
}
