package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** CloseComplete ('3'): a Close succeeded. */
public record CloseComplete() implements BackendMessage {

  public static final byte TYPE = '3';

  public static final CloseComplete INSTANCE = new CloseComplete();

  public static CloseComplete decode(ByteBuf payload) {
    PayloadReader.expectEmpty(payload, "CloseComplete");
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out) {
    FrameWriter.empty(out, TYPE);
  }
}
