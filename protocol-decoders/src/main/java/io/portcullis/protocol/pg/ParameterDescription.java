package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * ParameterDescription ('t'): the parameter types of a described statement.
 *
 * @param types one type OID per parameter (not copied: treat as read-only)
 */
public record ParameterDescription(int[] types) implements BackendMessage {

  public static final byte TYPE = 't';

  public ParameterDescription {
    Checks.count16(requireNonNull(types, "types").length, "types");
  }

  public static ParameterDescription decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "ParameterDescription");
    int count = r.readCount16("parameter count", 4);
    int[] types = new int[count];
    for (int i = 0; i < count; i++) {
      types[i] = r.readInt32("parameter type");
    }
    r.expectEnd();
    return new ParameterDescription(types);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    out.writeShort(types.length);
    for (int type : types) {
      out.writeInt(type);
    }
    FrameWriter.end(out, lengthIndex);
  }
}
