package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * SASLInitialResponse ('p'): the mechanism the client chose and its first SASL message.
 *
 * @param mechanism for example {@code SCRAM-SHA-256}
 * @param data the mechanism's initial response, or null for none (length -1 on the wire); not
 *     copied, treat as read-only; {@link #toString} never shows it
 */
public record SASLInitialResponse(String mechanism, byte[] data) implements FrontendMessage {

  public static final byte TYPE = 'p';

  public SASLInitialResponse {
    PgStrings.check(mechanism, "mechanism");
  }

  public static SASLInitialResponse decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "SASLInitialResponse");
    String mechanism = r.readString("mechanism");
    byte[] data = r.readNullableBytes("initial response");
    r.expectEnd();
    return new SASLInitialResponse(mechanism, data);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    PgStrings.write(out, mechanism);
    FrameWriter.writeNullableBytes(out, data);
    FrameWriter.end(out, lengthIndex);
  }

  @Override
  public String toString() {
    return "SASLInitialResponse[mechanism=" + mechanism + ", data="
        + (data == null ? "null" : "<" + data.length + " bytes>") + "]";
  }
}
