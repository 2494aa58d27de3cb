package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * Parse: prepares a statement of the extended query protocol.
 *
 * @param statement the prepared statement's name ("" for the unnamed one)
 * @param query the SQL text
 * @param parameterTypes parameter type OIDs the client specifies (0 = unspecified)
 */
public record Parse(String statement, String query, int[] parameterTypes) implements FrontendMessage {

  public static Parse decode(ByteBuf in) {
    String name = PgCodec.readString(in);
    String query = PgCodec.readString(in);
    int count = PgCodec.readCount(in, "Parse parameter count");
    PgCodec.need(in, count * 4, "Parse parameter types");
    int[] types = new int[count];
    for (int i = 0; i < count; i++) {
      types[i] = in.readInt();
    }
    PgCodec.end(in, "Parse");
    return new Parse(name, query, types);
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'P');
    PgCodec.writeString(out, statement);
    PgCodec.writeString(out, query);
    out.writeShort(parameterTypes.length);
    for (int t : parameterTypes) {
      out.writeInt(t);
    }
    PgCodec.finish(out, at);
  }
}
