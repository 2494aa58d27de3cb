package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** ParameterStatus: the current value of a run-time setting the client should know about. */
public record ParameterStatus(String name, String value) implements BackendMessage {

  public static ParameterStatus decode(ByteBuf in) {
    ParameterStatus status = new ParameterStatus(PgCodec.readString(in), PgCodec.readString(in));
    PgCodec.end(in, "ParameterStatus");
    return status;
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'S');
    PgCodec.writeString(out, name);
    PgCodec.writeString(out, value);
    PgCodec.finish(out, at);
  }
}
