package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * AuthenticationMD5Password ('R', code 5): the server asks for an MD5-hashed password.
 *
 * @param salt the 4-byte salt to hash with (not copied: treat as read-only)
 */
public record AuthenticationMD5Password(byte[] salt) implements BackendMessage {

  public static final int CODE = 5;

  public static final int SALT_BYTES = 4;

  public AuthenticationMD5Password {
    if (requireNonNull(salt, "salt").length != SALT_BYTES) {
      throw new IllegalArgumentException(
          "salt length: " + salt.length + " (expected: " + SALT_BYTES + ")");
    }
  }

  public static AuthenticationMD5Password decode(ByteBuf payload) {
    PayloadReader r = BackendMessages.authentication(payload, "AuthenticationMD5Password", CODE);
    byte[] salt = r.readBytes(SALT_BYTES, "salt");
    r.expectEnd();
    return new AuthenticationMD5Password(salt);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = BackendMessages.beginAuthentication(out, CODE);
    out.writeBytes(salt);
    FrameWriter.end(out, lengthIndex);
  }
}
