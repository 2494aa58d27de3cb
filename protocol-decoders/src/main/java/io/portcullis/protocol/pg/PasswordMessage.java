package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * PasswordMessage ('p'): a cleartext or MD5-hashed password, or, for the gateway, a bearer token.
 *
 * @param password the secret; {@link #toString} never shows it
 */
public record PasswordMessage(String password) implements FrontendMessage {

  public static final byte TYPE = 'p';

  public PasswordMessage {
    PgStrings.check(password, "password");
  }

  public static PasswordMessage decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "PasswordMessage");
    String password = r.readString("password");
    r.expectEnd();
    return new PasswordMessage(password);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    PgStrings.write(out, password);
    FrameWriter.end(out, lengthIndex);
  }

  @Override
  public String toString() {
    return "PasswordMessage[password=<redacted>]";
  }
}
