package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** AuthenticationCleartextPassword ('R', code 3): the server asks for the password in clear text. */
public record AuthenticationCleartextPassword() implements BackendMessage {

  public static final int CODE = 3;

  public static final AuthenticationCleartextPassword INSTANCE = new AuthenticationCleartextPassword();

  public static AuthenticationCleartextPassword decode(ByteBuf payload) {
    BackendMessages.authentication(payload, "AuthenticationCleartextPassword", CODE).expectEnd();
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out) {
    FrameWriter.end(out, BackendMessages.beginAuthentication(out, CODE));
  }
}
