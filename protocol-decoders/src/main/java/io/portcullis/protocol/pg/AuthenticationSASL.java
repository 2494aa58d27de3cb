package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * AuthenticationSASL ('R', code 10): the server offers SASL mechanisms, in its order of preference.
 *
 * @param mechanisms the mechanism names, at least one, for example {@code SCRAM-SHA-256}
 */
public record AuthenticationSASL(List<String> mechanisms) implements BackendMessage {

  public static final int CODE = 10;

  public AuthenticationSASL {
    mechanisms = Checks.strings(mechanisms, "mechanisms");
    if (mechanisms.isEmpty() || mechanisms.contains("")) {
      // An empty name ends the list on the wire, so neither could be read back.
      throw new IllegalArgumentException("mechanisms: " + mechanisms + " (expected: non-empty names)");
    }
  }

  public static AuthenticationSASL decode(ByteBuf payload) {
    PayloadReader r = BackendMessages.authentication(payload, "AuthenticationSASL", CODE);
    List<String> mechanisms = new ArrayList<>();
    while (true) {
      if (r.remaining() == 0) {
        throw r.error("missing terminator after the mechanisms");
      }
      String mechanism = r.readString("mechanism name");
      if (mechanism.isEmpty()) {
        break;
      }
      mechanisms.add(mechanism);
    }
    r.expectEnd();
    if (mechanisms.isEmpty()) {
      throw r.error("mechanisms: 0 (expected: >= 1)");
    }
    return new AuthenticationSASL(mechanisms);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = BackendMessages.beginAuthentication(out, CODE);
    for (String mechanism : mechanisms) {
      PgStrings.write(out, mechanism);
    }
    out.writeByte(0);
    FrameWriter.end(out, lengthIndex);
  }
}
