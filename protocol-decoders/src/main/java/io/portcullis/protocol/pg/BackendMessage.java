package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** A message from server to client. */
public sealed interface BackendMessage
    permits AuthenticationOk, AuthenticationCleartextPassword, AuthenticationMD5Password,
        AuthenticationSASL, AuthenticationSASLContinue, AuthenticationSASLFinal,
        AuthenticationUnsupported, BackendKeyData, ParameterStatus, ReadyForQuery, ErrorResponse,
        NoticeResponse, RowDescription, DataRow, CommandComplete, EmptyQueryResponse, ParseComplete,
        BindComplete, CloseComplete, NoData, PortalSuspended, ParameterDescription, CopyInResponse,
        CopyOutResponse, CopyBothResponse, CopyData, CopyDone, NotificationResponse,
        NegotiateProtocolVersion, FunctionCallResponse {

  /** Writes the whole message: type, length and payload. */
  void encode(ByteBuf out);
}
