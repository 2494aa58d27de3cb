package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** EmptyQueryResponse ('I'): the query string was empty. */
public record EmptyQueryResponse() implements BackendMessage {

  public static final byte TYPE = 'I';

  public static final EmptyQueryResponse INSTANCE = new EmptyQueryResponse();

  public static EmptyQueryResponse decode(ByteBuf payload) {
    PayloadReader.expectEmpty(payload, "EmptyQueryResponse");
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out) {
    FrameWriter.empty(out, TYPE);
  }
}
