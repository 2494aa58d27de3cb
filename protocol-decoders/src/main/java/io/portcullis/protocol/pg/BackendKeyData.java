package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * BackendKeyData: the key a client needs to cancel a query of this session.
 *
 * @param processId the process id
 * @param secretKey the secret (4 bytes in protocol 3.0)
 */
public record BackendKeyData(int processId, byte[] secretKey) implements BackendMessage {

  public static BackendKeyData decode(ByteBuf in) {
    int pid = PgCodec.readInt(in, "BackendKeyData process id");
    int length = in.readableBytes();
    if (length < 4 || length > 256) {
      throw new PgProtocolException("BackendKeyData secret key length: " + length + " (expected: 4..256)");
    }
    return new BackendKeyData(pid, PgCodec.readRest(in));
  }

  @Override
  public void encode(ByteBuf out) {
    out.writeByte('K').writeInt(8 + secretKey.length).writeInt(processId).writeBytes(secretKey);
  }
}
