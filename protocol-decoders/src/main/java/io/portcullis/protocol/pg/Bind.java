package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Bind: creates a portal from a prepared statement and parameter values.
 *
 * @param portal the portal's name ("" for the unnamed one)
 * @param statement the prepared statement's name
 * @param parameterFormats parameter format codes (0 text, 1 binary)
 * @param parameterValues parameter values; a null element is SQL NULL
 * @param resultFormats result column format codes
 */
public record Bind(String portal, String statement, short[] parameterFormats,
    List<byte[]> parameterValues, short[] resultFormats) implements FrontendMessage {

  public static Bind decode(ByteBuf in) {
    String portal = PgCodec.readString(in);
    String statement = PgCodec.readString(in);
    short[] formats = PgCodec.readShorts(in, "Bind parameter format count");
    int count = PgCodec.readCount(in, "Bind parameter count");
    List<byte[]> values = PgCodec.readValues(in, count, "Bind parameter");
    short[] results = PgCodec.readShorts(in, "Bind result format count");
    PgCodec.end(in, "Bind");
    return new Bind(portal, statement, formats, values, results);
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'B');
    PgCodec.writeString(out, portal);
    PgCodec.writeString(out, statement);
    PgCodec.writeShorts(out, parameterFormats);
    out.writeShort(parameterValues.size());
    PgCodec.writeValues(out, parameterValues);
    PgCodec.writeShorts(out, resultFormats);
    PgCodec.finish(out, at);
  }
}
