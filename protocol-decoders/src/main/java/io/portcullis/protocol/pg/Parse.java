package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * Parse ('P'): prepare a statement in the extended query protocol.
 *
 * @param statement the prepared statement's name; empty for the unnamed statement
 * @param query the query text exactly as sent (one statement)
 * @param parameterTypes parameter type OIDs; 0 leaves a type unspecified (not copied)
 */
public record Parse(String statement, String query, int[] parameterTypes)
    implements FrontendMessage {

  public static final byte TYPE = 'P';

  public Parse {
    PgStrings.check(statement, "statement");
    PgStrings.check(query, "query");
    Checks.count16(requireNonNull(parameterTypes, "parameterTypes").length, "parameterTypes");
  }

  public static Parse decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "Parse");
    String statement = r.readString("statement name");
    String query = r.readString("query string");
    int count = r.readCount16("parameter type count", 4);
    int[] types = new int[count];
    for (int i = 0; i < count; i++) {
      types[i] = r.readInt32("parameter type");
    }
    r.expectEnd();
    return new Parse(statement, query, types);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    PgStrings.write(out, statement);
    PgStrings.write(out, query);
    out.writeShort(parameterTypes.length);
    for (int type : parameterTypes) {
      out.writeInt(type);
    }
    FrameWriter.end(out, lengthIndex);
  }
}
