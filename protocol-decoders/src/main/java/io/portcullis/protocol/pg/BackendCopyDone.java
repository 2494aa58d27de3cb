package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * CopyDone ('c'), sent by the server: the end of its COPY TO STDOUT data.
 *
 * <p>A separate record from the client's {@link CopyDone} so each message family stays closed.
 */
public record BackendCopyDone() implements BackendMessage {

  public static final byte TYPE = 'c';

  public static final BackendCopyDone INSTANCE = new BackendCopyDone();

  public static BackendCopyDone decode(ByteBuf payload) {
    PayloadReader.expectEmpty(payload, "CopyDone");
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out) {
    FrameWriter.empty(out, TYPE);
  }
}
