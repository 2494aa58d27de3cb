package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** BindComplete ('2'): a Bind succeeded. */
public record BindComplete() implements BackendMessage {

  public static final byte TYPE = '2';

  public static final BindComplete INSTANCE = new BindComplete();

  public static BindComplete decode(ByteBuf payload) {
    PayloadReader.expectEmpty(payload, "BindComplete");
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out) {
    FrameWriter.empty(out, TYPE);
  }
}
