package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * A typed message a client sends after startup. Each is a record named as in the PostgreSQL
 * "Message Formats" chapter, with a static {@code decode(ByteBuf payload)} that reads the bytes
 * after the type and length without moving the caller's reader index.
 *
 * <p>Records that hold arrays do not copy them, to keep bulk data (COPY, parameter values) off a
 * second copy: treat those arrays as read-only. Record equality compares arrays by identity.
 */
public sealed interface FrontendMessage
    permits Query,
        Parse,
        Bind,
        Describe,
        Execute,
        Sync,
        Flush,
        Close,
        Terminate,
        FunctionCall,
        CopyData,
        CopyDone,
        CopyFail,
        PasswordMessage,
        SASLInitialResponse,
        SASLResponse {

  /** Writes the whole message: type byte, Int32 length and payload. */
  void encode(ByteBuf out);
}
