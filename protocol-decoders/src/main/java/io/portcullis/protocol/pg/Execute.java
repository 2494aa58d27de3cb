package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * Execute: runs a portal.
 *
 * @param portal the portal's name
 * @param maxRows the most rows to return, 0 for all
 */
public record Execute(String portal, int maxRows) implements FrontendMessage {

  public static Execute decode(ByteBuf in) {
    String portal = PgCodec.readString(in);
    int rows = PgCodec.readInt(in, "Execute max rows");
    PgCodec.end(in, "Execute");
    return new Execute(portal, rows);
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'E');
    PgCodec.writeString(out, portal);
    out.writeInt(maxRows);
    PgCodec.finish(out, at);
  }
}
