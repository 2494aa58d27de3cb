package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * CancelRequest: sent on a new connection to cancel the query running in another session.
 *
 * @param processId the target backend's process ID, from its BackendKeyData
 * @param secretKey the target's secret key: 4 bytes in protocol 3.0, up to 256 in 3.2; not copied,
 *     treat as read-only
 */
public record CancelRequest(int processId, byte[] secretKey) implements StartupPacket {

  /** The shortest key (protocol 3.0). */
  public static final int MIN_KEY_BYTES = 4;

  /** The longest key protocol 3.2 allows. */
  public static final int MAX_KEY_BYTES = 256;

  public CancelRequest {
    requireNonNull(secretKey, "secretKey");
    if (secretKey.length < MIN_KEY_BYTES || secretKey.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "secretKey length: " + secretKey.length
              + " (expected: " + MIN_KEY_BYTES + ".." + MAX_KEY_BYTES + ")");
    }
  }

  /** Decodes the body after the Int32 length (code included) without moving its reader index. */
  public static CancelRequest decode(ByteBuf body) {
    PayloadReader r = new PayloadReader(body, "CancelRequest");
    int code = r.readInt32("code");
    if (code != CANCEL_REQUEST_CODE) {
      throw r.error("code: " + code + " (expected: " + CANCEL_REQUEST_CODE + ")");
    }
    int processId = r.readInt32("process ID");
    int keyBytes = r.remaining();
    if (keyBytes < MIN_KEY_BYTES || keyBytes > MAX_KEY_BYTES) {
      throw r.error(
          "secret key length: " + keyBytes
              + " (expected: " + MIN_KEY_BYTES + ".." + MAX_KEY_BYTES + ")");
    }
    return new CancelRequest(processId, r.readRest());
  }

  @Override
  public void encode(ByteBuf out) {
    out.writeInt(12 + secretKey.length);
    out.writeInt(CANCEL_REQUEST_CODE);
    out.writeInt(processId);
    out.writeBytes(secretKey);
  }

  @Override
  public String toString() {
    return "CancelRequest[processId=" + processId + ", secretKey=<" + secretKey.length + " bytes>]";
  }
}
