package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * SASLResponse ('p'): a later SASL message from the client.
 *
 * @param data the mechanism's message, the whole payload (not copied: treat as read-only);
 *     {@link #toString} never shows it
 */
public record SASLResponse(byte[] data) implements FrontendMessage {

  public static final byte TYPE = 'p';

  public SASLResponse {
    requireNonNull(data, "data");
  }

  public static SASLResponse decode(ByteBuf payload) {
    return new SASLResponse(new PayloadReader(payload, "SASLResponse").readRest());
  }

  @Override
  public void encode(ByteBuf out) {
    out.writeByte(TYPE);
    out.writeInt(4 + data.length);
    out.writeBytes(data);
  }

  @Override
  public String toString() {
    return "SASLResponse[data=<" + data.length + " bytes>]";
  }
}
