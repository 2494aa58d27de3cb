package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** ParseComplete: a Parse succeeded. */
public record ParseComplete() implements BackendMessage {

  /** The only instance needed. */
  public static final ParseComplete INSTANCE = new ParseComplete();

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('1').writeInt(4);
  }
}
