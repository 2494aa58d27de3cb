package io.portcullis.mask;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The ownership rule of both maskers, in one place: the caller hands over one reference to a
 * frame and owns the result, which is the frame itself when nothing changed, else a new buffer
 * holding the rewritten message (the frame released); on an exception the frame is released.
 */
final class OwnedRewrite {

  /** Rewrites a frame into {@code row}; false when nothing changed. */
  interface Rewriter {
    boolean rewrite(ByteBuf frame);
  }

  private OwnedRewrite() {}

  static ByteBuf apply(ByteBuf frame, ByteBufAllocator alloc, boolean active, Rewriter rewriter, ByteSink row) {
    requireNonNull(frame, "frame");
    if (!active) {
      return frame;
    }
    ByteBuf out;
    try {
      requireNonNull(alloc, "alloc");
      if (!rewriter.rewrite(frame)) {
        return frame;
      }
      out = alloc.buffer(row.length());
    } catch (RuntimeException e) {
      frame.release();
      throw e;
    }
    frame.release();
    return out.writeBytes(row.array(), 0, row.length());
  }
}
