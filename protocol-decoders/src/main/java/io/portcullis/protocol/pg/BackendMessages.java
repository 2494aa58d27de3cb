package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** Decodes backend messages by type byte. */
public final class BackendMessages {

  private BackendMessages() {}

  /** Decodes one message's payload (after type and length); does not move the caller's reader index. */
  public static BackendMessage decode(byte type, ByteBuf payload) {
    ByteBuf in = payload.duplicate();
    return switch (type) {
      case 'R' -> authentication(in);
      case 'K' -> BackendKeyData.decode(in);
      case 'S' -> ParameterStatus.decode(in);
      case 'Z' -> ReadyForQuery.decode(in);
      case 'E' -> ErrorResponse.decode(in);
      case 'N' -> NoticeResponse.decode(in);
      case 'T' -> RowDescription.decode(in);
      case 'D' -> DataRow.decode(in);
      case 'C' -> CommandComplete.decode(in);
      case 'I' -> empty(in, "EmptyQueryResponse", EmptyQueryResponse.INSTANCE);
      case '1' -> empty(in, "ParseComplete", ParseComplete.INSTANCE);
      case '2' -> empty(in, "BindComplete", BindComplete.INSTANCE);
      case '3' -> empty(in, "CloseComplete", CloseComplete.INSTANCE);
      case 'n' -> empty(in, "NoData", NoData.INSTANCE);
      case 's' -> empty(in, "PortalSuspended", PortalSuspended.INSTANCE);
      case 't' -> ParameterDescription.decode(in);
      case 'G' -> CopyInResponse.decode(in);
      case 'H' -> CopyOutResponse.decode(in);
      case 'W' -> CopyBothResponse.decode(in);
      case 'd' -> CopyData.decode(in);
      case 'c' -> empty(in, "CopyDone", CopyDone.INSTANCE);
      case 'A' -> NotificationResponse.decode(in);
      case 'v' -> NegotiateProtocolVersion.decode(in);
      case 'V' -> FunctionCallResponse.decode(in);
      default -> throw new PgProtocolException("unknown backend message type: '"
          + FrontendMessages.printable(type) + "'");
    };
  }

  private static BackendMessage authentication(ByteBuf in) {
    int code = PgCodec.readInt(in, "Authentication code");
    BackendMessage message = switch (code) {
      case 0 -> AuthenticationOk.INSTANCE;
      case 3 -> AuthenticationCleartextPassword.INSTANCE;
      case 5 -> new AuthenticationMD5Password(PgCodec.readBytes(in, 4, "AuthenticationMD5Password salt"));
      case 10 -> AuthenticationSASL.decodeAfterCode(in);
      case 11 -> new AuthenticationSASLContinue(PgCodec.readRest(in));
      case 12 -> new AuthenticationSASLFinal(PgCodec.readRest(in));
      default -> {
        in.skipBytes(in.readableBytes());
        yield new AuthenticationUnsupported(code);
      }
    };
    PgCodec.end(in, "Authentication");
    return message;
  }

  private static BackendMessage empty(ByteBuf in, String name, BackendMessage instance) {
    PgCodec.end(in, name);
    return instance;
  }
}
