package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * A packet a client sends before the query phase: these have no type byte, only an Int32 length
 * followed by an Int32 code that says what they are.
 */
public sealed interface StartupPacket permits StartupMessage, SSLRequest, GSSENCRequest, CancelRequest {

  /** The code of a {@link CancelRequest}: 1234 in the high 16 bits, 5678 in the low. */
  int CANCEL_REQUEST_CODE = 80877102;

  /** The code of an {@link SSLRequest}: 1234 in the high 16 bits, 5679 in the low. */
  int SSL_REQUEST_CODE = 80877103;

  /** The code of a {@link GSSENCRequest}: 1234 in the high 16 bits, 5680 in the low. */
  int GSSENC_REQUEST_CODE = 80877104;

  /** Writes the whole packet, its Int32 length included. */
  void encode(ByteBuf out);

  /**
   * Decodes one packet without moving {@code body}'s reader index.
   *
   * @param body the bytes after the Int32 length, starting with the Int32 code
   * @throws PgProtocolException if the packet is malformed or asks for a protocol other than 3.x
   */
  static StartupPacket decode(ByteBuf body) {
    requireNonNull(body, "body");
    if (body.readableBytes() < 4) {
      throw new PgProtocolException(
          "startup packet: truncated code: " + body.readableBytes() + " bytes left (expected: >= 4)");
    }
    int code = body.getInt(body.readerIndex());
    return switch (code) {
      case SSL_REQUEST_CODE -> SSLRequest.decode(body);
      case GSSENC_REQUEST_CODE -> GSSENCRequest.decode(body);
      case CANCEL_REQUEST_CODE -> CancelRequest.decode(body);
      default -> {
        if (code >>> 16 != StartupMessage.MAJOR_VERSION) {
          // The server answers this with feature_not_supported, so we use its SQLSTATE too.
          throw new PgProtocolException(
              "0A000",
              "unsupported protocol version: " + (code >>> 16) + "." + (code & 0xFFFF)
                  + " (expected: 3.x)");
        }
        yield StartupMessage.decode(body);
      }
    };
  }
}
