package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** A message from client to server after startup. Switching over it must be exhaustive. */
public sealed interface FrontendMessage
    permits Query, Parse, Bind, Describe, Execute, Sync, Flush, Close, Terminate, FunctionCall,
        CopyData, CopyDone, CopyFail, PasswordMessage, SASLInitialResponse, SASLResponse {

  /** Writes the whole message: type, length and payload. */
  void encode(ByteBuf out);
}
