package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.util.Set;

/**
 * An 'R' message asking for a method this codec does not speak: KerberosV5 (2), GSS (7),
 * GSSContinue (8), SSPI (9) or any code unknown to it. The gateway refuses all of them.
 *
 * <p>Any data after the code (GSSContinue carries some) is skipped on decode, since its format is
 * not ours to judge, and is not written on encode.
 *
 * @param code the authentication code the server sent
 */
public record AuthenticationUnsupported(int code) implements BackendMessage {

  public static final int KERBEROS_V5 = 2;
  public static final int GSS = 7;
  public static final int GSS_CONTINUE = 8;
  public static final int SSPI = 9;

  private static final Set<Integer> SUPPORTED =
      Set.of(
          AuthenticationOk.CODE,
          AuthenticationCleartextPassword.CODE,
          AuthenticationMD5Password.CODE,
          AuthenticationSASL.CODE,
          AuthenticationSASLContinue.CODE,
          AuthenticationSASLFinal.CODE);

  public AuthenticationUnsupported {
    if (SUPPORTED.contains(code)) {
      throw new IllegalArgumentException("code: " + code + " (expected: an unsupported method)");
    }
  }

  public static AuthenticationUnsupported decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "Authentication");
    int code = r.readInt32("authentication code");
    if (SUPPORTED.contains(code)) {
      throw r.error("authentication code: " + code + " (expected: an unsupported method)");
    }
    return new AuthenticationUnsupported(code);
  }

  @Override
  public void encode(ByteBuf out) {
    FrameWriter.end(out, BackendMessages.beginAuthentication(out, code));
  }
}
