package io.portcullis.protocol.sftp;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * An incremental framer for one direction of an SFTP channel: bytes in any pieces in, whole
 * {@link SftpFrame}s out.
 *
 * <p>Each frame gets a buffer of exactly its size, allocated once its length field is read and
 * only if that length is within the limit, so nothing beyond {@code maxLength + 4} bytes is ever
 * allocated for an input. A length of zero or over the limit is an {@link SftpProtocolException};
 * after one the decoder refuses all further input. Not thread-safe: one decoder per direction.
 */
public final class SftpFrameDecoder implements AutoCloseable {

  /** OpenSSH's own limit on a packet ({@code SFTP_MAX_MSG_LENGTH}, 256 KiB). */
  public static final int OPENSSH_MAX_LENGTH = 256 * 1024;

  private final int maxLength;
  private final ByteBufAllocator alloc;
  private final byte[] header = new byte[SftpFrame.HEADER_BYTES];
  private int headerFilled;
  private ByteBuf current;
  private boolean failed;

  /**
   * Creates a framer.
   *
   * @param maxLength the largest payload accepted, at least 5 (an INIT)
   * @param alloc where frame buffers come from
   */
  public SftpFrameDecoder(int maxLength, ByteBufAllocator alloc) {
    if (maxLength < 5) {
      throw new IllegalArgumentException("maxLength: " + maxLength + " (expected: >= 5)");
    }
    this.maxLength = maxLength;
    this.alloc = requireNonNull(alloc, "alloc");
  }

  /**
   * Consumes every readable byte of {@code in} (its reader index moves to its writer index) and
   * appends the frames completed by them to {@code out}, in order. Does not release {@code in}.
   *
   * @throws SftpProtocolException on a length of zero or over the limit; the frames completed
   *     before it are in {@code out}
   */
  public void decode(ByteBuf in, List<SftpFrame> out) {
    requireNonNull(in, "in");
    requireNonNull(out, "out");
    if (failed) {
      throw new SftpProtocolException("framer: failed earlier (expected: no input after an error)");
    }
    while (in.isReadable()) {
      if (current == null) {
        int n = Math.min(SftpFrame.HEADER_BYTES - headerFilled, in.readableBytes());
        in.readBytes(header, headerFilled, n);
        headerFilled += n;
        if (headerFilled < SftpFrame.HEADER_BYTES) {
          return;
        }
        startFrame();
      }
      int n = Math.min(current.writableBytes(), in.readableBytes());
      current.writeBytes(in, n);
      if (!current.isWritable()) {
        ByteBuf done = current;
        current = null;
        headerFilled = 0;
        out.add(new SftpFrame(done));
      }
    }
  }

  private void startFrame() {
    long length = ((header[0] & 0xFFL) << 24) | ((header[1] & 0xFF) << 16)
        | ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
    if (length < 1 || length > maxLength) {
      failed = true;
      throw new SftpProtocolException(
          "length: " + length + " (expected: 1.." + maxLength + ")");
    }
    int total = (int) length + SftpFrame.HEADER_BYTES;
    current = alloc.buffer(total, total);
    current.writeBytes(header);
  }

  /** Bytes held for a frame not yet complete, length field included. */
  public int bufferedBytes() {
    return current == null ? headerFilled : current.readableBytes();
  }

  /** Whether a partial frame is held (the peer stopped mid-packet if the stream ends now). */
  public boolean hasPartialFrame() {
    return bufferedBytes() > 0;
  }

  /** Releases the partial frame, if any; the decoder takes no more input. */
  @Override
  public void close() {
    failed = true;
    headerFilled = 0;
    if (current != null) {
      current.release();
      current = null;
    }
  }
}
