package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * CopyFail ('f'): the client aborts COPY FROM STDIN.
 *
 * @param message why, as the client tells it
 */
public record CopyFail(String message) implements FrontendMessage {

  public static final byte TYPE = 'f';

  public CopyFail {
    PgStrings.check(message, "message");
  }

  public static CopyFail decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "CopyFail");
    String message = r.readString("error message");
    r.expectEnd();
    return new CopyFail(message);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    PgStrings.write(out, message);
    FrameWriter.end(out, lengthIndex);
  }
}
