package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** Query: one or more SQL statements in the simple query protocol. */
public record Query(String sql) implements FrontendMessage {

  public static Query decode(ByteBuf in) {
    Query q = new Query(PgCodec.readString(in));
    PgCodec.end(in, "Query");
    return q;
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'Q');
    PgCodec.writeString(out, sql);
    PgCodec.finish(out, at);
  }
}
