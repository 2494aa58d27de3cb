package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** AuthenticationOk ('R', code 0): authentication succeeded. */
public record AuthenticationOk() implements BackendMessage {

  public static final int CODE = 0;

  public static final AuthenticationOk INSTANCE = new AuthenticationOk();

  public static AuthenticationOk decode(ByteBuf payload) {
    BackendMessages.authentication(payload, "AuthenticationOk", CODE).expectEnd();
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out) {
    FrameWriter.end(out, BackendMessages.beginAuthentication(out, CODE));
  }
}
