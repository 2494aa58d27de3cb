package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * BackendKeyData ('K'): the process ID and secret key a client needs to cancel its queries.
 *
 * @param processId the backend's process ID
 * @param secretKey 4 bytes in protocol 3.0, up to 256 in 3.2 (not copied: treat as read-only);
 *     {@link #toString} never shows it
 */
public record BackendKeyData(int processId, byte[] secretKey) implements BackendMessage {

  public static final byte TYPE = 'K';

  public BackendKeyData {
    int length = requireNonNull(secretKey, "secretKey").length;
    if (length < CancelRequest.MIN_KEY_BYTES || length > CancelRequest.MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "secretKey length: " + length + " (expected: " + CancelRequest.MIN_KEY_BYTES + ".."
              + CancelRequest.MAX_KEY_BYTES + ")");
    }
  }

  public static BackendKeyData decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "BackendKeyData");
    int processId = r.readInt32("process ID");
    int keyBytes = r.remaining();
    if (keyBytes < CancelRequest.MIN_KEY_BYTES || keyBytes > CancelRequest.MAX_KEY_BYTES) {
      throw r.error(
          "secret key length: " + keyBytes + " (expected: " + CancelRequest.MIN_KEY_BYTES + ".."
              + CancelRequest.MAX_KEY_BYTES + ")");
    }
    return new BackendKeyData(processId, r.readRest());
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    out.writeInt(processId);
    out.writeBytes(secretKey);
    FrameWriter.end(out, lengthIndex);
  }

  @Override
  public String toString() {
    return "BackendKeyData[processId=" + processId + ", secretKey=<" + secretKey.length + " bytes>]";
  }
}
