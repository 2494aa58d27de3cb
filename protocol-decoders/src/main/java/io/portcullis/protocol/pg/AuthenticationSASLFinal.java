package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * AuthenticationSASLFinal ('R', code 12): the server's last SASL message.
 *
 * @param data the mechanism's outcome, for example SCRAM's server signature (not copied:
 *     treat as read-only); {@link #toString} never shows it
 */
public record AuthenticationSASLFinal(byte[] data) implements BackendMessage {

  public static final int CODE = 12;

  public AuthenticationSASLFinal {
    requireNonNull(data, "data");
  }

  public static AuthenticationSASLFinal decode(ByteBuf payload) {
    PayloadReader r = BackendMessages.authentication(payload, "AuthenticationSASLFinal", CODE);
    return new AuthenticationSASLFinal(r.readRest());
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = BackendMessages.beginAuthentication(out, CODE);
    out.writeBytes(data);
    FrameWriter.end(out, lengthIndex);
  }

  @Override
  public String toString() {
    return "AuthenticationSASLFinal[data=<" + data.length + " bytes>]";
  }
}
