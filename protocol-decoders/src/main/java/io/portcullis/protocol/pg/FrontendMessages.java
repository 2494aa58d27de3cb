package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** Decodes frontend messages of the query phase by type byte. */
public final class FrontendMessages {

  private FrontendMessages() {}

  /**
   * Decodes one message's payload (after type and length). Does not move the caller's reader
   * index. A {@code 'p'} message decodes as a {@link PasswordMessage}.
   */
  public static FrontendMessage decode(byte type, ByteBuf payload) {
    ByteBuf in = payload.duplicate();
    return switch (type) {
      case 'Q' -> Query.decode(in);
      case 'P' -> Parse.decode(in);
      case 'B' -> Bind.decode(in);
      case 'D' -> Describe.decode(in);
      case 'E' -> Execute.decode(in);
      case 'S' -> empty(in, "Sync", Sync.INSTANCE);
      case 'H' -> empty(in, "Flush", Flush.INSTANCE);
      case 'C' -> Close.decode(in);
      case 'X' -> empty(in, "Terminate", Terminate.INSTANCE);
      case 'F' -> FunctionCall.decode(in);
      case 'd' -> CopyData.decode(in);
      case 'c' -> empty(in, "CopyDone", CopyDone.INSTANCE);
      case 'f' -> CopyFail.decode(in);
      case 'p' -> PasswordMessage.decode(in);
      default -> throw new PgProtocolException("unknown frontend message type: '" + printable(type) + "'");
    };
  }

  private static FrontendMessage empty(ByteBuf in, String name, FrontendMessage instance) {
    PgCodec.end(in, name);
    return instance;
  }

  static String printable(byte type) {
    return type >= 0x20 && type < 0x7f ? String.valueOf((char) type) : String.format("\\x%02x", type);
  }
}
