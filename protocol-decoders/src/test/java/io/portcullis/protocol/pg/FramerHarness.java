package io.portcullis.protocol.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Feeds chunks through an EmbeddedChannel and collects what comes out, releasing every buffer. */
final class FramerHarness {

  /** What a PgFrame carried, copied out so the frame itself can be released at once. */
  record Seen(char type, int length, byte[] frame, byte[] payload) {}

  private final EmbeddedChannel channel;
  private final List<ByteBuf> inputs = new ArrayList<>();

  FramerHarness(EmbeddedChannel channel) {
    this.channel = channel;
  }

  /** Writes each chunk as its own read; returns everything emitted, frames converted to Seen. */
  List<Object> feed(byte[]... chunks) {
    List<Object> out = new ArrayList<>();
    for (byte[] chunk : chunks) {
      ByteBuf buf = Unpooled.wrappedBuffer(chunk);
      inputs.add(buf);
      channel.writeInbound(buf);
      drain(out);
    }
    return out;
  }

  /** Returns what is waiting at the end of the pipeline without writing anything. */
  List<Object> read() {
    List<Object> out = new ArrayList<>();
    drain(out);
    return out;
  }

  /** Splits {@code bytes} into chunks of {@code size} (the last may be shorter). */
  static byte[][] chunks(byte[] bytes, int size) {
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += size) {
      chunks.add(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size)));
    }
    return chunks.toArray(byte[][]::new);
  }

  /** Closes the channel and checks that nothing is pending and every input buffer was released. */
  void finishWithoutLeaks() {
    channel.finishAndReleaseAll();
    assertThat(inputs).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
  }

  EmbeddedChannel channel() {
    return channel;
  }

  private void drain(List<Object> out) {
    Object msg;
    while ((msg = channel.readInbound()) != null) {
      if (msg instanceof PgFrame frame) {
        out.add(new Seen((char) frame.type(), frame.length(), ByteBufUtil.getBytes(frame.frame()),
            ByteBufUtil.getBytes(frame.payload())));
        // A retained slice shares its parent's count, so release() is true only for the last one;
        // finishWithoutLeaks() checks that the inputs reached zero.
        frame.release();
      } else {
        out.add(msg);
      }
    }
  }
}
