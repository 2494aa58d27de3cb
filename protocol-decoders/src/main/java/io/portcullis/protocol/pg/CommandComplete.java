package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** CommandComplete: a statement finished; {@code tag} is for example {@code SELECT 5}. */
public record CommandComplete(String tag) implements BackendMessage {

  public static CommandComplete decode(ByteBuf in) {
    CommandComplete c = new CommandComplete(PgCodec.readString(in));
    PgCodec.end(in, "CommandComplete");
    return c;
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'C');
    PgCodec.writeString(out, tag);
    PgCodec.finish(out, at);
  }
}
