package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** GSSENCRequest: the client asks for GSSAPI encryption (the gateway answers 'N'). */
public record GSSENCRequest() implements StartupPacket {
  @Override
  public void encode(ByteBuf out) {
    out.writeInt(8).writeInt(GSSENC_REQUEST_CODE);
  }
}
