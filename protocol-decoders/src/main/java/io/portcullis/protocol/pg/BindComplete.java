package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** BindComplete: a Bind succeeded. */
public record BindComplete() implements BackendMessage {

  /** The only instance needed. */
  public static final BindComplete INSTANCE = new BindComplete();

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('2').writeInt(4);
  }
}
