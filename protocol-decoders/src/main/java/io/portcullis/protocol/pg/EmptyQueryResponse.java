package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** EmptyQueryResponse: the answer to an empty query string. */
public record EmptyQueryResponse() implements BackendMessage {

  /** The only instance needed. */
  public static final EmptyQueryResponse INSTANCE = new EmptyQueryResponse();

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('I').writeInt(4);
  }
}
