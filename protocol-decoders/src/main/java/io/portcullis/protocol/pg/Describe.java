package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * Describe: describes a prepared statement ({@code 'S'}) or a portal ({@code 'P'}).
 *
 * @param kind {@code 'S'} or {@code 'P'}
 * @param name the statement's or portal's name
 */
public record Describe(byte kind, String name) implements FrontendMessage {

  public static Describe decode(ByteBuf in) {
    byte kind = PgCodec.readByte(in, "Describe kind");
    if (kind != 'S' && kind != 'P') {
      throw new PgProtocolException("Describe kind: '" + FrontendMessages.printable(kind) + "' (expected: 'S' or 'P')");
    }
    Describe message = new Describe(kind, PgCodec.readString(in));
    PgCodec.end(in, "Describe");
    return message;
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'D');
    out.writeByte(kind);
    PgCodec.writeString(out, name);
    PgCodec.finish(out, at);
  }
}
