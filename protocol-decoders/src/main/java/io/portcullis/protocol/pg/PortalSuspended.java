package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** PortalSuspended ('s'): an Execute reached its row limit before the portal ended. */
public record PortalSuspended() implements BackendMessage {

  public static final byte TYPE = 's';

  public static final PortalSuspended INSTANCE = new PortalSuspended();

  public static PortalSuspended decode(ByteBuf payload) {
    PayloadReader.expectEmpty(payload, "PortalSuspended");
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out) {
    FrameWriter.empty(out, TYPE);
  }
}
