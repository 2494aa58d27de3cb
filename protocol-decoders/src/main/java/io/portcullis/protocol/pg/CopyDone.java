package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** CopyDone: ends the data of a COPY FROM STDIN. */
public record CopyDone() implements FrontendMessage, BackendMessage {

  /** The only instance needed. */
  public static final CopyDone INSTANCE = new CopyDone();

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('c').writeInt(4);
  }
}
