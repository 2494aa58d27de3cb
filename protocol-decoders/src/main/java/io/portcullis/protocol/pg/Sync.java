package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** Sync ('S'): ends an extended-query cycle; the server answers with ReadyForQuery. */
public record Sync() implements FrontendMessage {

  public static final byte TYPE = 'S';

  public static final Sync INSTANCE = new Sync();

  public static Sync decode(ByteBuf payload) {
    PayloadReader.expectEmpty(payload, "Sync");
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out) {
    FrameWriter.empty(out, TYPE);
  }
}
