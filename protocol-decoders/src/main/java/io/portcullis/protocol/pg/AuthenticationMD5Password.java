package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** AuthenticationMD5Password: the server asks for an md5-hashed password with this 4-byte salt. */
public record AuthenticationMD5Password(byte[] salt) implements BackendMessage {

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('R').writeInt(12).writeInt(5).writeBytes(salt, 0, 4);
  }
}
