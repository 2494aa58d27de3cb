package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** AuthenticationCleartextPassword: the server asks for a cleartext password (through the gateway: the token). */
public record AuthenticationCleartextPassword() implements BackendMessage {

  /** The only instance needed. */
  public static final AuthenticationCleartextPassword INSTANCE = new AuthenticationCleartextPassword();

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('R').writeInt(8).writeInt(3);
  }
}
