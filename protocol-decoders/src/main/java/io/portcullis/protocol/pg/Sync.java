package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** Sync: ends an extended-protocol batch; the server answers ReadyForQuery. */
public record Sync() implements FrontendMessage {

  /** The only instance needed. */
  public static final Sync INSTANCE = new Sync();

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('S').writeInt(4);
  }
}
