package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** Terminate: ends the session. */
public record Terminate() implements FrontendMessage {

  /** The only instance needed. */
  public static final Terminate INSTANCE = new Terminate();

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('X').writeInt(4);
  }
}
