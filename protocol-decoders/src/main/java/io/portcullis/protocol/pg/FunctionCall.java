package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * FunctionCall: the legacy fast-path call of a function by OID. The gateway refuses it: it would
 * run a function without any SQL to decide on.
 *
 * @param functionOid the function's OID
 * @param argumentFormats argument format codes
 * @param arguments argument values; a null element is SQL NULL
 * @param resultFormat the result's format code
 */
public record FunctionCall(int functionOid, short[] argumentFormats, List<byte[]> arguments,
    short resultFormat) implements FrontendMessage {

  public static FunctionCall decode(ByteBuf in) {
    int oid = PgCodec.readInt(in, "FunctionCall oid");
    short[] formats = PgCodec.readShorts(in, "FunctionCall format count");
    int count = PgCodec.readCount(in, "FunctionCall argument count");
    List<byte[]> args = PgCodec.readValues(in, count, "FunctionCall argument");
    short result = PgCodec.readShort(in, "FunctionCall result format");
    PgCodec.end(in, "FunctionCall");
    return new FunctionCall(oid, formats, args, result);
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'F');
    out.writeInt(functionOid);
    PgCodec.writeShorts(out, argumentFormats);
    out.writeShort(arguments.size());
    PgCodec.writeValues(out, arguments);
    out.writeShort(resultFormat);
    PgCodec.finish(out, at);
  }
}
