package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** A packet of the startup phase, which has no type byte: told apart by its leading code. */
public sealed interface StartupPacket permits StartupMessage, SSLRequest, GSSENCRequest, CancelRequest {

  int SSL_REQUEST_CODE = 80877103;
  int GSSENC_REQUEST_CODE = 80877104;
  int CANCEL_REQUEST_CODE = 80877102;

  /** Writes the whole packet, length included. */
  void encode(ByteBuf out);

  /**
   * Decodes a startup packet's body (after the Int32 length). Does not move the caller's reader
   * index.
   */
  static StartupPacket decode(ByteBuf body) {
    ByteBuf in = body.duplicate();
    int code = PgCodec.readInt(in, "startup code");
    switch (code) {
      case SSL_REQUEST_CODE -> {
        PgCodec.end(in, "SSLRequest");
        return new SSLRequest();
      }
      case GSSENC_REQUEST_CODE -> {
        PgCodec.end(in, "GSSENCRequest");
        return new GSSENCRequest();
      }
      case CANCEL_REQUEST_CODE -> {
        return CancelRequest.decodeAfterCode(in);
      }
      default -> {
        int major = code >>> 16;
        if (major != 3) {
          throw new PgProtocolException("unsupported protocol version: " + major + "." + (code & 0xffff)
              + " (expected: 3.x)");
        }
        return StartupMessage.decodeAfterCode(code, in);
      }
    }
  }
}
