package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** ParseComplete ('1'): a Parse succeeded. */
public record ParseComplete() implements BackendMessage {

  public static final byte TYPE = '1';

  public static final ParseComplete INSTANCE = new ParseComplete();

  public static ParseComplete decode(ByteBuf payload) {
    PayloadReader.expectEmpty(payload, "ParseComplete");
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out) {
    FrameWriter.empty(out, TYPE);
  }
}
