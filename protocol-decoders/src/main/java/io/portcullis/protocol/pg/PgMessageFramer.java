package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a byte stream into typed PostgreSQL messages (Byte1 type, Int32 length including itself).
 * A length out of bounds is rejected as soon as the header is readable, so an oversized message is
 * never buffered.
 */
public final class PgMessageFramer extends ByteToMessageDecoder {

  private final int maxMessageBytes;

  /** @param maxMessageBytes the largest payload accepted */
  public PgMessageFramer(int maxMessageBytes) {
    if (maxMessageBytes < 0) {
      throw new IllegalArgumentException("maxMessageBytes: " + maxMessageBytes + " (expected: >= 0)");
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= 5) {
      int start = in.readerIndex();
      byte type = in.getByte(start);
      int length = in.getInt(start + 1);
      if (length < 4) {
        throw new PgProtocolException("length: " + length + " (expected: >= 4)");
      }
      if (length - 4 > maxMessageBytes) {
        throw new PgProtocolException("length: " + (length - 4) + " (expected: <= " + maxMessageBytes
            + ") for message type '" + (char) type + "'");
      }
      if (in.readableBytes() < length + 1) {
        return;
      }
      out.add(new PgFrame(type, in.readRetainedSlice(length + 1)));
    }
  }
}
