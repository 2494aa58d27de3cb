package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the untyped packets of the startup phase (Int32 length including itself, then the body)
 * and decodes each into a {@link StartupPacket}. It never removes itself: the gateway replaces it
 * once the startup message has been handled.
 */
public final class PgStartupFramer extends ByteToMessageDecoder {

  private final int maxStartupBytes;

  /** @param maxStartupBytes the largest startup packet accepted, length field included */
  public PgStartupFramer(int maxStartupBytes) {
    this.maxStartupBytes = maxStartupBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < 4) {
      return;
    }
    int length = in.getInt(in.readerIndex());
    if (length < 8 || length > maxStartupBytes) {
      throw new PgProtocolException("startup packet length: " + length + " (expected: 8.."
          + maxStartupBytes + ")");
    }
    if (in.readableBytes() < length) {
      return;
    }
    ByteBuf body = in.slice(in.readerIndex() + 4, length - 4);
    in.skipBytes(length);
    out.add(StartupPacket.decode(body));
  }
}
