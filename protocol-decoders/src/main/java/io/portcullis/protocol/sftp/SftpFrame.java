package io.portcullis.protocol.sftp;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * One whole SFTP packet as it arrived: the uint32 length and the payload it counts, in a buffer
 * this frame owns.
 *
 * <p>Whoever receives a frame releases it, once, with {@link #release()}.
 */
public final class SftpFrame {

  /** Bytes of the length field before the payload. */
  public static final int HEADER_BYTES = 4;

  private final ByteBuf frame;

  /**
   * Wraps a buffer holding exactly one packet, length field included; takes ownership of it.
   *
   * @throws SftpProtocolException if the length field does not match the bytes or the payload is
   *     empty
   */
  public SftpFrame(ByteBuf frame) {
    this.frame = requireNonNull(frame, "frame");
    int readable = frame.readableBytes();
    if (readable < HEADER_BYTES + 1) {
      frame.release();
      throw new SftpProtocolException("frame: " + readable + " bytes (expected: >= 5)");
    }
    long length = frame.getUnsignedInt(frame.readerIndex());
    if (length != readable - HEADER_BYTES) {
      frame.release();
      throw new SftpProtocolException(
          "length: " + length + " (expected: " + (readable - HEADER_BYTES) + ")");
    }
  }

  /** The packet type, the payload's first byte. */
  public int type() {
    return frame.getUnsignedByte(frame.readerIndex() + HEADER_BYTES);
  }

  /** The payload length (the value of the length field). */
  public int length() {
    return frame.readableBytes() - HEADER_BYTES;
  }

  /** The whole packet, length field included, as it goes on the wire; not a copy. */
  public ByteBuf frame() {
    return frame;
  }

  /** The payload: the type byte and what follows it; a slice, not a copy. */
  public ByteBuf payload() {
    return frame.slice(frame.readerIndex() + HEADER_BYTES, length());
  }

  /** Releases the packet's buffer. */
  public void release() {
    frame.release();
  }

  @Override
  public String toString() {
    return "SftpFrame[type=" + type() + ", length=" + length() + "]";
  }
}
