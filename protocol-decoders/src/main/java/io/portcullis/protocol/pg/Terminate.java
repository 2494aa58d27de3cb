package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** Terminate ('X'): the client is closing the connection. */
public record Terminate() implements FrontendMessage {

  public static final byte TYPE = 'X';

  public static final Terminate INSTANCE = new Terminate();

  public static Terminate decode(ByteBuf payload) {
    PayloadReader.expectEmpty(payload, "Terminate");
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out) {
    FrameWriter.empty(out, TYPE);
  }
}
