package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One typed protocol message as it arrived: the type byte, the Int32 length and the payload.
 *
 * <p>{@code frame} holds the whole message (header included) so the proxy can forward it unchanged
 * after a policy allowed it; whoever receives a frame owns one reference and must release it.
 *
 * @param type the message's type byte, for example {@code 'Q'}
 * @param frame the whole message, reader index at the type byte
 */
public record PgFrame(byte type, ByteBuf frame) implements ReferenceCounted {

  /** Bytes before the payload: the type byte and the Int32 length. */
  public static final int HEADER_BYTES = 5;

  public PgFrame {
    requireNonNull(frame, "frame");
    if (frame.readableBytes() < HEADER_BYTES) {
      throw new IllegalArgumentException(
          "frame bytes: " + frame.readableBytes() + " (expected: >= " + HEADER_BYTES + ")");
    }
    byte first = frame.getByte(frame.readerIndex());
    if (first != type) {
      throw new IllegalArgumentException(
          "frame type: " + FrameWriter.describeType(first)
              + " (expected: " + FrameWriter.describeType(type) + ")");
    }
    int length = frame.getInt(frame.readerIndex() + 1);
    if (length != frame.readableBytes() - 1) {
      throw new IllegalArgumentException(
          "frame length: " + length + " (expected: " + (frame.readableBytes() - 1) + ")");
    }
  }

  /** The bytes after the 5-byte header, as a slice sharing this frame's reference count. */
  public ByteBuf payload() {
    return frame.slice(frame.readerIndex() + HEADER_BYTES, length());
  }

  /** The payload's length: the Int32 length field minus its own 4 bytes. */
  public int length() {
    return frame.getInt(frame.readerIndex() + 1) - 4;
  }

  @Override
  public int refCnt() {
    return frame.refCnt();
  }

  @Override
  public PgFrame retain() {
    frame.retain();
    return this;
  }

  @Override
  public PgFrame retain(int increment) {
    frame.retain(increment);
    return this;
  }

  @Override
  public PgFrame touch() {
    frame.touch();
    return this;
  }

  @Override
  public PgFrame touch(Object hint) {
    frame.touch(hint);
    return this;
  }

  @Override
  public boolean release() {
    return frame.release();
  }

  @Override
  public boolean release(int decrement) {
    return frame.release(decrement);
  }

  @Override
  public String toString() {
    // Never the contents: a frame may carry a password or SQL with secrets in it.
    return "PgFrame[type=" + FrameWriter.describeType(type) + ", length=" + length() + "]";
  }
}
