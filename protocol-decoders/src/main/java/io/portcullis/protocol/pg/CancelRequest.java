package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * CancelRequest: sent on a new connection to cancel the query running in another session.
 *
 * @param processId the session's process id from BackendKeyData
 * @param secretKey the session's secret key (4 bytes in protocol 3.0, up to 256 in 3.2)
 */
public record CancelRequest(int processId, byte[] secretKey) implements StartupPacket {

  static CancelRequest decodeAfterCode(ByteBuf in) {
    int pid = PgCodec.readInt(in, "CancelRequest process id");
    int length = in.readableBytes();
    if (length < 4 || length > 256) {
      throw new PgProtocolException("CancelRequest secret key length: " + length + " (expected: 4..256)");
    }
    return new CancelRequest(pid, PgCodec.readRest(in));
  }

  @Override
  public void encode(ByteBuf out) {
    out.writeInt(12 + secretKey.length).writeInt(CANCEL_REQUEST_CODE).writeInt(processId)
        .writeBytes(secretKey);
  }
}
