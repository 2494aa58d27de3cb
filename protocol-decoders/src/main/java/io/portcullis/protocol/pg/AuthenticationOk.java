package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** AuthenticationOk: authentication succeeded. */
public record AuthenticationOk() implements BackendMessage {

  /** The only instance needed. */
  public static final AuthenticationOk INSTANCE = new AuthenticationOk();

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('R').writeInt(8).writeInt(0);
  }
}
