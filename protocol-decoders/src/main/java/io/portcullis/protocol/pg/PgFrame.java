package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One typed message exactly as it arrived: its type byte and the whole frame (type, length and
 * payload), so that an allowed message is forwarded byte for byte as it was decided.
 *
 * @param type the message type byte
 * @param frame the whole message; released by whoever consumes this frame
 */
public record PgFrame(byte type, ByteBuf frame) implements ReferenceCounted {

  /** The payload after the 5-byte header: a slice, not retained. */
  public ByteBuf payload() {
    return frame.slice(frame.readerIndex() + 5, frame.readableBytes() - 5);
  }

  /** The payload length in bytes. */
  public int length() {
    return frame.readableBytes() - 5;
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
}
