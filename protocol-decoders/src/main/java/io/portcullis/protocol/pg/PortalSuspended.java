package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** PortalSuspended: Execute stopped at its row limit. */
public record PortalSuspended() implements BackendMessage {

  /** The only instance needed. */
  public static final PortalSuspended INSTANCE = new PortalSuspended();

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('s').writeInt(4);
  }
}
