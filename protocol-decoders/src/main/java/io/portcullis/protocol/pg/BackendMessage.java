package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * A typed message the server sends. Each is a record named as in the PostgreSQL "Message Formats"
 * chapter, with a static {@code decode(ByteBuf payload)} that reads the bytes after the type and
 * length without moving the caller's reader index.
 *
 * <p>Records that hold arrays do not copy them, to keep rows and COPY data off a second copy: treat
 * those arrays as read-only. Record equality compares arrays by identity.
 */
public sealed interface BackendMessage
    permits AuthenticationOk,
        AuthenticationCleartextPassword,
        AuthenticationMD5Password,
        AuthenticationSASL,
        AuthenticationSASLContinue,
        AuthenticationSASLFinal,
        AuthenticationUnsupported,
        BackendKeyData,
        ParameterStatus,
        ReadyForQuery,
        ErrorResponse,
        NoticeResponse,
        RowDescription,
        DataRow,
        CommandComplete,
        EmptyQueryResponse,
        ParseComplete,
        BindComplete,
        CloseComplete,
        NoData,
        PortalSuspended,
        ParameterDescription,
        CopyInResponse,
        CopyOutResponse,
        CopyBothResponse,
        BackendCopyData,
        BackendCopyDone,
        NotificationResponse,
        NegotiateProtocolVersion,
        FunctionCallResponse {

  /** Writes the whole message: type byte, Int32 length and payload. */
  void encode(ByteBuf out);
}
