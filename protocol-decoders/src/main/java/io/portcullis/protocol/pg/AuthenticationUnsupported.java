package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** An authentication request the gateway does not speak (Kerberos, GSSAPI, SSPI), by its code. */
public record AuthenticationUnsupported(int code) implements BackendMessage {

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('R').writeInt(8).writeInt(code);
  }
}
