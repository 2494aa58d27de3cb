package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** GSSENCRequest: the client asks to switch to GSSAPI encryption before its StartupMessage. */
public record GSSENCRequest() implements StartupPacket {

  public static final GSSENCRequest INSTANCE = new GSSENCRequest();

  /** Decodes the body after the Int32 length (the code only) without moving its reader index. */
  public static GSSENCRequest decode(ByteBuf body) {
    CodeOnly.decode(body, "GSSENCRequest", GSSENC_REQUEST_CODE);
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out) {
    CodeOnly.encode(out, GSSENC_REQUEST_CODE);
  }
}
