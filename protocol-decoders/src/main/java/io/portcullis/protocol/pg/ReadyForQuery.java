package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** ReadyForQuery: the server is idle; {@code status} is 'I' (idle), 'T' (in a transaction) or 'E' (failed). */
public record ReadyForQuery(byte status) implements BackendMessage {

  public static ReadyForQuery decode(ByteBuf in) {
    byte status = PgCodec.readByte(in, "ReadyForQuery status");
    if (status != 'I' && status != 'T' && status != 'E') {
      throw new PgProtocolException("ReadyForQuery status: '" + FrontendMessages.printable(status)
          + "' (expected: 'I', 'T' or 'E')");
    }
    PgCodec.end(in, "ReadyForQuery");
    return new ReadyForQuery(status);
  }

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('Z').writeInt(5).writeByte(status);
  }
}
