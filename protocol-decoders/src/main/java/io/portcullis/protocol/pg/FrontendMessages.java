package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/** Decodes client messages of the query phase by their type byte. */
public final class FrontendMessages {

  private FrontendMessages() {}

  /**
   * Decodes one message without moving {@code payload}'s reader index.
   *
   * <p>{@code 'p'} is decoded as a {@link PasswordMessage}; during authentication, where the same
   * type carries SASL messages too, call {@link SASLInitialResponse#decode} or {@link
   * SASLResponse#decode} as the chosen method requires.
   *
   * @param payload the bytes after the type byte and the Int32 length
   * @throws PgProtocolException if the type is unknown or the payload malformed
   */
  public static FrontendMessage decode(byte type, ByteBuf payload) {
    requireNonNull(payload, "payload");
    return switch (type) {
      case Query.TYPE -> Query.decode(payload);
      case Parse.TYPE -> Parse.decode(payload);
      case Bind.TYPE -> Bind.decode(payload);
      case Describe.TYPE -> Describe.decode(payload);
      case Execute.TYPE -> Execute.decode(payload);
      case Sync.TYPE -> Sync.decode(payload);
      case Flush.TYPE -> Flush.decode(payload);
      case Close.TYPE -> Close.decode(payload);
      case Terminate.TYPE -> Terminate.decode(payload);
      case FunctionCall.TYPE -> FunctionCall.decode(payload);
      case CopyData.TYPE -> CopyData.decode(payload);
      case CopyDone.TYPE -> CopyDone.decode(payload);
      case CopyFail.TYPE -> CopyFail.decode(payload);
      case PasswordMessage.TYPE -> PasswordMessage.decode(payload);
      default -> throw new PgProtocolException(
          "unknown frontend message type: " + FrameWriter.describeType(type));
    };
  }
}
