package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * CopyData ('d'), sent by the server: a chunk of COPY TO STDOUT data.
 *
 * <p>A separate record from the client's {@link CopyData} so each message family stays closed.
 *
 * @param data the chunk, of any length (not copied: treat as read-only)
 */
public record BackendCopyData(byte[] data) implements BackendMessage {

  public static final byte TYPE = 'd';

  public BackendCopyData {
    requireNonNull(data, "data");
  }

  public static BackendCopyData decode(ByteBuf payload) {
    return new BackendCopyData(new PayloadReader(payload, "CopyData").readRest());
  }

  @Override
  public void encode(ByteBuf out) {
    out.writeByte(TYPE);
    out.writeInt(4 + data.length);
    out.writeBytes(data);
  }

  @Override
  public String toString() {
    return "BackendCopyData[data=<" + data.length + " bytes>]";
  }
}
