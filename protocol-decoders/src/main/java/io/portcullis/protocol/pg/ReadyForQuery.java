package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * ReadyForQuery ('Z'): the server is ready for a new query cycle.
 *
 * @param status the transaction status: {@code 'I'} idle, {@code 'T'} in a transaction block,
 *     {@code 'E'} in a failed transaction block
 */
public record ReadyForQuery(byte status) implements BackendMessage {

  public static final byte TYPE = 'Z';

  public static final byte IDLE = 'I';
  public static final byte IN_TRANSACTION = 'T';
  public static final byte FAILED_TRANSACTION = 'E';

  public ReadyForQuery {
    if (!valid(status)) {
      throw new IllegalArgumentException(
          "status: " + FrameWriter.describeType(status) + " (expected: 'I', 'T' or 'E')");
    }
  }

  public static ReadyForQuery decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "ReadyForQuery");
    byte status = r.readByte("transaction status");
    if (!valid(status)) {
      throw r.error(
          "transaction status: " + FrameWriter.describeType(status) + " (expected: 'I', 'T' or 'E')");
    }
    r.expectEnd();
    return new ReadyForQuery(status);
  }

  @Override
  public void encode(ByteBuf out) {
    out.writeByte(TYPE);
    out.writeInt(5);
    out.writeByte(status);
  }

  private static boolean valid(byte status) {
    return status == IDLE || status == IN_TRANSACTION || status == FAILED_TRANSACTION;
  }
}
