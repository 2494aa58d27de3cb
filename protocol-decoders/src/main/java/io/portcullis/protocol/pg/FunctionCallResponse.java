package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** FunctionCallResponse: the result of a FunctionCall, or null for SQL NULL. */
public record FunctionCallResponse(byte[] result) implements BackendMessage {

  public static FunctionCallResponse decode(ByteBuf in) {
    byte[] result = PgCodec.readValues(in, 1, "FunctionCallResponse result").get(0);
    PgCodec.end(in, "FunctionCallResponse");
    return new FunctionCallResponse(result);
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'V');
    PgCodec.writeValues(out, java.util.Arrays.asList(result));
    PgCodec.finish(out, at);
  }
}
