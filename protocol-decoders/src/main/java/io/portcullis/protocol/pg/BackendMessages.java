package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/** Decodes server messages by their type byte (and, for 'R', by the authentication code). */
public final class BackendMessages {

  /** The type byte of every Authentication* message. */
  public static final byte AUTHENTICATION = 'R';

  private BackendMessages() {}

  /**
   * Decodes one message without moving {@code payload}'s reader index.
   *
   * @param payload the bytes after the type byte and the Int32 length
   * @throws PgProtocolException if the type is unknown or the payload malformed
   */
  public static BackendMessage decode(byte type, ByteBuf payload) {
    requireNonNull(payload, "payload");
    return switch (type) {
      case AUTHENTICATION -> decodeAuthentication(payload);
      case BackendKeyData.TYPE -> BackendKeyData.decode(payload);
      case ParameterStatus.TYPE -> ParameterStatus.decode(payload);
      case ReadyForQuery.TYPE -> ReadyForQuery.decode(payload);
      case ErrorResponse.TYPE -> ErrorResponse.decode(payload);
      case NoticeResponse.TYPE -> NoticeResponse.decode(payload);
      case RowDescription.TYPE -> RowDescription.decode(payload);
      case DataRow.TYPE -> DataRow.decode(payload);
      case CommandComplete.TYPE -> CommandComplete.decode(payload);
      case EmptyQueryResponse.TYPE -> EmptyQueryResponse.decode(payload);
      case ParseComplete.TYPE -> ParseComplete.decode(payload);
      case BindComplete.TYPE -> BindComplete.decode(payload);
      case CloseComplete.TYPE -> CloseComplete.decode(payload);
      case NoData.TYPE -> NoData.decode(payload);
      case PortalSuspended.TYPE -> PortalSuspended.decode(payload);
      case ParameterDescription.TYPE -> ParameterDescription.decode(payload);
      case CopyInResponse.TYPE -> CopyInResponse.decode(payload);
      case CopyOutResponse.TYPE -> CopyOutResponse.decode(payload);
      case CopyBothResponse.TYPE -> CopyBothResponse.decode(payload);
      case BackendCopyData.TYPE -> BackendCopyData.decode(payload);
      case BackendCopyDone.TYPE -> BackendCopyDone.decode(payload);
      case NotificationResponse.TYPE -> NotificationResponse.decode(payload);
      case NegotiateProtocolVersion.TYPE -> NegotiateProtocolVersion.decode(payload);
      case FunctionCallResponse.TYPE -> FunctionCallResponse.decode(payload);
      default -> throw new PgProtocolException(
          "unknown backend message type: " + FrameWriter.describeType(type));
    };
  }

  /** Decodes an 'R' message by its Int32 authentication code. */
  public static BackendMessage decodeAuthentication(ByteBuf payload) {
    requireNonNull(payload, "payload");
    if (payload.readableBytes() < 4) {
      throw new PgProtocolException(
          "Authentication: truncated code: " + payload.readableBytes()
              + " bytes left (expected: >= 4)");
    }
    int code = payload.getInt(payload.readerIndex());
    return switch (code) {
      case AuthenticationOk.CODE -> AuthenticationOk.decode(payload);
      case AuthenticationCleartextPassword.CODE -> AuthenticationCleartextPassword.decode(payload);
      case AuthenticationMD5Password.CODE -> AuthenticationMD5Password.decode(payload);
      case AuthenticationSASL.CODE -> AuthenticationSASL.decode(payload);
      case AuthenticationSASLContinue.CODE -> AuthenticationSASLContinue.decode(payload);
      case AuthenticationSASLFinal.CODE -> AuthenticationSASLFinal.decode(payload);
      default -> AuthenticationUnsupported.decode(payload);
    };
  }

  /** Writes the header and code of an 'R' message; returns the length index for FrameWriter.end. */
  static int beginAuthentication(ByteBuf out, int code) {
    int lengthIndex = FrameWriter.begin(out, AUTHENTICATION);
    out.writeInt(code);
    return lengthIndex;
  }

  /** Reads and checks the code of an 'R' message; returns the reader positioned after it. */
  static PayloadReader authentication(ByteBuf payload, String message, int expectedCode) {
    PayloadReader r = new PayloadReader(payload, message);
    int code = r.readInt32("authentication code");
    if (code != expectedCode) {
      throw r.error("authentication code: " + code + " (expected: " + expectedCode + ")");
    }
    return r;
  }
}
