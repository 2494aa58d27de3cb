package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** CopyData: a chunk of COPY data, in either direction. */
public record CopyData(byte[] data) implements FrontendMessage, BackendMessage {

  public static CopyData decode(ByteBuf in) {
    return new CopyData(PgCodec.readRest(in));
  }

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('d').writeInt(4 + data.length).writeBytes(data);
  }
}
