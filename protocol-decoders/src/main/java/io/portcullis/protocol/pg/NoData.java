package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** NoData: the described statement returns no rows. */
public record NoData() implements BackendMessage {

  /** The only instance needed. */
  public static final NoData INSTANCE = new NoData();

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('n').writeInt(4);
  }
}
