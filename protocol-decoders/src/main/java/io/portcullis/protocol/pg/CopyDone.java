package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** CopyDone ('c'), sent by the client: the end of its COPY FROM STDIN data. */
public record CopyDone() implements FrontendMessage {

  public static final byte TYPE = 'c';

  public static final CopyDone INSTANCE = new CopyDone();

  public static CopyDone decode(ByteBuf payload) {
    PayloadReader.expectEmpty(payload, "CopyDone");
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out) {
    FrameWriter.empty(out, TYPE);
  }
}
