package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * CopyBothResponse: COPY data flows both ways (replication).
 *
 * @param overallFormat 0 text, 1 binary
 * @param columnFormats each column's format code
 */
public record CopyBothResponse(byte overallFormat, short[] columnFormats) implements BackendMessage {

  public static CopyBothResponse decode(ByteBuf in) {
    byte format = PgCodec.readByte(in, "CopyBothResponse format");
    short[] columns = PgCodec.readShorts(in, "CopyBothResponse column count");
    PgCodec.end(in, "CopyBothResponse");
    return new CopyBothResponse(format, columns);
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'W');
    out.writeByte(overallFormat);
    PgCodec.writeShorts(out, columnFormats);
    PgCodec.finish(out, at);
  }
}
