package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** Flush ('H'): asks the server to send all output it has queued. */
public record Flush() implements FrontendMessage {

  public static final byte TYPE = 'H';

  public static final Flush INSTANCE = new Flush();

  public static Flush decode(ByteBuf payload) {
    PayloadReader.expectEmpty(payload, "Flush");
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out) {
    FrameWriter.empty(out, TYPE);
  }
}
