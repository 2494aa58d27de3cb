package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the untyped packets a client sends before the query phase (Int32 length counting itself,
 * then the body) and emits each as a decoded {@link StartupPacket}.
 *
 * <p>It keeps decoding packets until the proxy replaces it (a client may send SSLRequest, then
 * StartupMessage). Bytes pipelined after an SSLRequest or GSSENCRequest are rejected: the client
 * must wait for the one-byte answer, and bytes sent before the TLS handshake would otherwise be
 * read as if they had come through it (the flaw behind CVE-2021-23214).
 *
 * <p>A StartupMessage or CancelRequest is the last startup packet: bytes after it belong to the
 * query phase, so the framer holds them undecoded (up to {@code maxStartupBytes}) until the proxy
 * replaces it, when Netty hands them to the next handler. The proxy may therefore decide
 * asynchronously, or refuse and close, without those bytes being misread as a startup packet.
 * After the first violation the framer discards all further input.
 */
public final class PgStartupFramer extends ByteToMessageDecoder {

  /** The shortest packet: a length and a request code. */
  public static final int MIN_PACKET_BYTES = 8;

  private enum State {
    READING,
    /** The last startup packet was emitted; later bytes wait for the handler that replaces us. */
    DONE,
    FAILED
  }

  private final int maxStartupBytes;
  private State state = State.READING;

  /**
   * @param maxStartupBytes the largest packet accepted, counting its Int32 length
   */
  public PgStartupFramer(int maxStartupBytes) {
    if (maxStartupBytes < MIN_PACKET_BYTES) {
      throw new IllegalArgumentException(
          "maxStartupBytes: " + maxStartupBytes + " (expected: >= " + MIN_PACKET_BYTES + ")");
    }
    this.maxStartupBytes = maxStartupBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (state == State.FAILED) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (state == State.DONE) {
      if (in.readableBytes() > maxStartupBytes) {
        throw fail(
            "bytes after the startup packet: " + in.readableBytes() + " (expected: <= "
                + maxStartupBytes + " before the startup framer is replaced)");
      }
      return;
    }
    if (in.readableBytes() < 4) {
      return;
    }
    int start = in.readerIndex();
    int length = in.getInt(start);
    if (length < MIN_PACKET_BYTES) {
      throw fail("startup packet length: " + length + " (expected: >= " + MIN_PACKET_BYTES + ")");
    }
    if (length > maxStartupBytes) {
      throw fail("startup packet length: " + length + " (expected: <= " + maxStartupBytes + ")");
    }
    if (in.readableBytes() < length) {
      return;
    }
    StartupPacket packet;
    try {
      packet = StartupPacket.decode(in.slice(start + 4, length - 4));
    } catch (PgProtocolException e) {
      state = State.FAILED;
      throw e;
    }
    in.skipBytes(length);
    if ((packet instanceof SSLRequest || packet instanceof GSSENCRequest) && in.isReadable()) {
      throw fail(
          "bytes after " + packet.getClass().getSimpleName() + ": " + in.readableBytes()
              + " (expected: 0 before the server answers)");
    }
    if (packet instanceof StartupMessage || packet instanceof CancelRequest) {
      state = State.DONE;
    }
    out.add(packet);
  }

  /** Bytes received but not yet decoded, for a proxy that wants to check before it swaps handlers. */
  public int bufferedBytes() {
    return actualReadableBytes();
  }

  private PgProtocolException fail(String message) {
    state = State.FAILED;
    return new PgProtocolException(message);
  }
}
