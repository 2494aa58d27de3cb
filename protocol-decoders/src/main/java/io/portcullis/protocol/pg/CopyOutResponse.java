package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * CopyOutResponse: COPY data follows from the server.
 *
 * @param overallFormat 0 text, 1 binary
 * @param columnFormats each column's format code
 */
public record CopyOutResponse(byte overallFormat, short[] columnFormats) implements BackendMessage {

  public static CopyOutResponse decode(ByteBuf in) {
    byte format = PgCodec.readByte(in, "CopyOutResponse format");
    short[] columns = PgCodec.readShorts(in, "CopyOutResponse column count");
    PgCodec.end(in, "CopyOutResponse");
    return new CopyOutResponse(format, columns);
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'H');
    out.writeByte(overallFormat);
    PgCodec.writeShorts(out, columnFormats);
    PgCodec.finish(out, at);
  }
}
