package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a byte stream of typed messages (Byte1 type, Int32 length counting itself, payload) into
 * {@link PgFrame}s, each a retained slice of the input without copying.
 *
 * <p>Lengths are checked as soon as the 5-byte header is readable, so an oversized message is
 * rejected before its body is buffered. After the first violation the framer discards all further
 * input: the stream can no longer be trusted to be in sync.
 */
public final class PgMessageFramer extends ByteToMessageDecoder {

  private enum State {
    READING,
    FAILED
  }

  private final int maxMessageBytes;
  private State state = State.READING;

  /**
   * @param maxMessageBytes the largest payload accepted, not counting the 5-byte header
   */
  public PgMessageFramer(int maxMessageBytes) {
    if (maxMessageBytes < 0) {
      throw new IllegalArgumentException(
          "maxMessageBytes: " + maxMessageBytes + " (expected: >= 0)");
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (state == State.FAILED) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < PgFrame.HEADER_BYTES) {
      return;
    }
    int start = in.readerIndex();
    byte type = in.getByte(start);
    int length = in.getInt(start + 1);
    if (length < 4) {
      throw fail(
          "message " + FrameWriter.describeType(type) + " length: " + length + " (expected: >= 4)");
    }
    if (length - 4 > maxMessageBytes) {
      throw fail(
          "message " + FrameWriter.describeType(type) + " length: " + (length - 4)
              + " (expected: <= " + maxMessageBytes + ")");
    }
    if (in.readableBytes() < 1 + length) {
      return;
    }
    out.add(new PgFrame(type, in.readRetainedSlice(1 + length)));
  }

  private PgProtocolException fail(String message) {
    state = State.FAILED;
    return new PgProtocolException(message);
  }
}
