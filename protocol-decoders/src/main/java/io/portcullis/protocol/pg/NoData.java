package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** NoData ('n'): the described statement or portal returns no rows. */
public record NoData() implements BackendMessage {

  public static final byte TYPE = 'n';

  public static final NoData INSTANCE = new NoData();

  public static NoData decode(ByteBuf payload) {
    PayloadReader.expectEmpty(payload, "NoData");
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out) {
    FrameWriter.empty(out, TYPE);
  }
}
