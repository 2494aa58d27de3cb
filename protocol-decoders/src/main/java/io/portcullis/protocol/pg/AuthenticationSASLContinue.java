package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** AuthenticationSASLContinue: a SASL challenge. */
public record AuthenticationSASLContinue(byte[] data) implements BackendMessage {

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('R').writeInt(8 + data.length).writeInt(11).writeBytes(data);
  }
}
