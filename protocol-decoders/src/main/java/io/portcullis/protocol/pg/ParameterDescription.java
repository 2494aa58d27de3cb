package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** ParameterDescription: the parameter type OIDs of a described statement. */
public record ParameterDescription(int[] types) implements BackendMessage {

  public static ParameterDescription decode(ByteBuf in) {
    int count = PgCodec.readShort(in, "ParameterDescription count") & 0xffff;
    PgCodec.need(in, count * 4, "ParameterDescription types");
    int[] types = new int[count];
    for (int i = 0; i < count; i++) {
      types[i] = in.readInt();
    }
    PgCodec.end(in, "ParameterDescription");
    return new ParameterDescription(types);
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 't');
    out.writeShort(types.length);
    for (int t : types) {
      out.writeInt(t);
    }
    PgCodec.finish(out, at);
  }
}
