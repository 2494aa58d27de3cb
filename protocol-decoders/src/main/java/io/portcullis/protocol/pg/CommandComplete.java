package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * CommandComplete ('C'): a statement finished.
 *
 * @param tag the command tag, for example {@code SELECT 1} or {@code INSERT 0 5}
 */
public record CommandComplete(String tag) implements BackendMessage {

  public static final byte TYPE = 'C';

  public CommandComplete {
    PgStrings.check(tag, "tag");
  }

  public static CommandComplete decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "CommandComplete");
    String tag = r.readString("command tag");
    r.expectEnd();
    return new CommandComplete(tag);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    PgStrings.write(out, tag);
    FrameWriter.end(out, lengthIndex);
  }
}
