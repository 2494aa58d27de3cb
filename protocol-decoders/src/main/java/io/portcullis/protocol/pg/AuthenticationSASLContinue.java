package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * AuthenticationSASLContinue ('R', code 11): a SASL challenge from
 * the server.
 *
 * @param data the mechanism's challenge (not copied: treat as read-only); {@link #toString}
 *     never shows it
 */
public record AuthenticationSASLContinue(byte[] data) implements BackendMessage {

  public static final int CODE = 11;

  public AuthenticationSASLContinue {
    requireNonNull(data, "data");
  }

  public static AuthenticationSASLContinue decode(ByteBuf payload) {
    PayloadReader r = BackendMessages.authentication(payload, "AuthenticationSASLContinue", CODE);
    return new AuthenticationSASLContinue(r.readRest());
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = BackendMessages.beginAuthentication(out, CODE);
    out.writeBytes(data);
    FrameWriter.end(out, lengthIndex);
  }

  @Override
  public String toString() {
    return "AuthenticationSASLContinue[data=<" + data.length + " bytes>]";
  }
}
