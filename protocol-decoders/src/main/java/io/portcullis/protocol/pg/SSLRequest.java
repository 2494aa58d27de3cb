package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** SSLRequest: the client asks to switch to TLS before it sends its StartupMessage. */
public record SSLRequest() implements StartupPacket {

  public static final SSLRequest INSTANCE = new SSLRequest();

  /** Decodes the body after the Int32 length (the code only) without moving its reader index. */
  public static SSLRequest decode(ByteBuf body) {
    CodeOnly.decode(body, "SSLRequest", SSL_REQUEST_CODE);
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out) {
    CodeOnly.encode(out, SSL_REQUEST_CODE);
  }
}
