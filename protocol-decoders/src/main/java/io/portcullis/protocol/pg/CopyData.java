package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * CopyData ('d'), sent by the client: a chunk of COPY FROM STDIN data.
 *
 * @param data the chunk, of any length (not copied: treat as read-only)
 */
public record CopyData(byte[] data) implements FrontendMessage {

  public static final byte TYPE = 'd';

  public CopyData {
    requireNonNull(data, "data");
  }

  public static CopyData decode(ByteBuf payload) {
    return new CopyData(new PayloadReader(payload, "CopyData").readRest());
  }

  @Override
  public void encode(ByteBuf out) {
    out.writeByte(TYPE);
    out.writeInt(4 + data.length);
    out.writeBytes(data);
  }

  @Override
  public String toString() {
    return "CopyData[data=<" + data.length + " bytes>]";
  }
}
