package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * Close: closes a prepared statement ({@code 'S'}) or a portal ({@code 'P'}).
 *
 * @param kind {@code 'S'} or {@code 'P'}
 * @param name the statement's or portal's name
 */
public record Close(byte kind, String name) implements FrontendMessage {

  public static Close decode(ByteBuf in) {
    byte kind = PgCodec.readByte(in, "Close kind");
    if (kind != 'S' && kind != 'P') {
      throw new PgProtocolException("Close kind: '" + FrontendMessages.printable(kind) + "' (expected: 'S' or 'P')");
    }
    Close message = new Close(kind, PgCodec.readString(in));
    PgCodec.end(in, "Close");
    return message;
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'C');
    out.writeByte(kind);
    PgCodec.writeString(out, name);
    PgCodec.finish(out, at);
  }
}
