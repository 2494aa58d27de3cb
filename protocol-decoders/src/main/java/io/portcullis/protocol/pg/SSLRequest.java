package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** SSLRequest: the client asks to switch to TLS before the startup message. */
public record SSLRequest() implements StartupPacket {
  @Override
  public void encode(ByteBuf out) {
    out.writeInt(8).writeInt(SSL_REQUEST_CODE);
  }
}
