package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** CloseComplete: a Close succeeded. */
public record CloseComplete() implements BackendMessage {

  /** The only instance needed. */
  public static final CloseComplete INSTANCE = new CloseComplete();

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('3').writeInt(4);
  }
}
