package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** CopyFail: the client aborts a COPY FROM STDIN, with a reason. */
public record CopyFail(String message) implements FrontendMessage {

  public static CopyFail decode(ByteBuf in) {
    CopyFail fail = new CopyFail(PgCodec.readString(in));
    PgCodec.end(in, "CopyFail");
    return fail;
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'f');
    PgCodec.writeString(out, message);
    PgCodec.finish(out, at);
  }
}
