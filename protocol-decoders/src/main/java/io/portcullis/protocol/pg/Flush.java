package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** Flush: asks the server to send what it has buffered. */
public record Flush() implements FrontendMessage {

  /** The only instance needed. */
  public static final Flush INSTANCE = new Flush();

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('H').writeInt(4);
  }
}
