package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * ParameterStatus ('S'): the current value of a run-time parameter the client should know.
 *
 * @param name for example {@code client_encoding}
 * @param value its current value
 */
public record ParameterStatus(String name, String value) implements BackendMessage {

  public static final byte TYPE = 'S';

  public ParameterStatus {
    PgStrings.check(name, "name");
    PgStrings.check(value, "value");
  }

  public static ParameterStatus decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "ParameterStatus");
    String name = r.readString("parameter name");
    String value = r.readString("parameter value");
    r.expectEnd();
    return new ParameterStatus(name, value);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    PgStrings.write(out, name);
    PgStrings.write(out, value);
    FrameWriter.end(out, lengthIndex);
  }
}
