package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * CopyInResponse: the server is ready to receive COPY data.
 *
 * @param overallFormat 0 text, 1 binary
 * @param columnFormats each column's format code
 */
public record CopyInResponse(byte overallFormat, short[] columnFormats) implements BackendMessage {

  public static CopyInResponse decode(ByteBuf in) {
    byte format = PgCodec.readByte(in, "CopyInResponse format");
    short[] columns = PgCodec.readShorts(in, "CopyInResponse column count");
    PgCodec.end(in, "CopyInResponse");
    return new CopyInResponse(format, columns);
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'G');
    out.writeByte(overallFormat);
    PgCodec.writeShorts(out, columnFormats);
    PgCodec.finish(out, at);
  }
}
