package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * Query ('Q'): a simple-protocol query string, possibly several statements.
 *
 * @param sql the query text exactly as sent
 */
public record Query(String sql) implements FrontendMessage {

  public static final byte TYPE = 'Q';

  public Query {
    PgStrings.check(sql, "sql");
  }

  public static Query decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "Query");
    String sql = r.readString("query string");
    r.expectEnd();
    return new Query(sql);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    PgStrings.write(out, sql);
    FrameWriter.end(out, lengthIndex);
  }
}
