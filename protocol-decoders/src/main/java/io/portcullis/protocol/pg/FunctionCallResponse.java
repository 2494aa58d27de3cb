package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * FunctionCallResponse ('V'): the result of a FunctionCall.
 *
 * @param result the value in wire form, or null for SQL NULL (not copied: treat as read-only)
 */
public record FunctionCallResponse(byte[] result) implements BackendMessage {

  public static final byte TYPE = 'V';

  public static FunctionCallResponse decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "FunctionCallResponse");
    byte[] result = r.readNullableBytes("result");
    r.expectEnd();
    return new FunctionCallResponse(result);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    FrameWriter.writeNullableBytes(out, result);
    FrameWriter.end(out, lengthIndex);
  }
}
