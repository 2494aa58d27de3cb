package io.portcullis.protocol.pg;

import static io.portcullis.protocol.pg.Bytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framers fed whole, split at every offset, and byte by byte, without leaking buffers. */
class FramerTest {

  private static final byte[] TWO_MESSAGES = Bytes.hex("51 0000000d " + text("SELECT 1") + " 00 53 00000004");

  private static List<String> feed(byte[] bytes, int... cuts) {
    EmbeddedChannel channel = new EmbeddedChannel(new PgMessageFramer(1024));
    int from = 0;
    for (int cut : cuts) {
      channel.writeInbound(Unpooled.wrappedBuffer(bytes, from, cut - from));
      from = cut;
    }
    channel.writeInbound(Unpooled.wrappedBuffer(bytes, from, bytes.length - from));
    List<String> frames = new ArrayList<>();
    PgFrame frame;
    while ((frame = channel.readInbound()) != null) {
      frames.add((char) frame.type() + ":" + ByteBufUtil.hexDump(frame.payload()));
      frame.release();
    }
    assertThat(channel.finish()).isFalse();
    return frames;
  }

  /** Finishes a channel whose decoder failed: EmbeddedChannel re-throws the recorded error. */
  private static void finish(EmbeddedChannel channel) {
    try {
      channel.finishAndReleaseAll();
    } catch (DecoderException expected) {
      // Already asserted.
    }
  }

  @Test
  void wholeInput() {
    assertThat(feed(TWO_MESSAGES)).containsExactly("Q:" + text("SELECT 1") + "00", "S:");
  }

  @Test
  void splitAtEveryOffset() {
    for (int cut = 1; cut < TWO_MESSAGES.length; cut++) {
      assertThat(feed(TWO_MESSAGES, cut)).as("cut at %d", cut).hasSize(2);
    }
  }

  @Test
  void byteByByte() {
    int[] cuts = new int[TWO_MESSAGES.length - 1];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    assertThat(feed(TWO_MESSAGES, cuts)).containsExactly("Q:" + text("SELECT 1") + "00", "S:");
  }

  @Test
  void oversizedMessageIsRefusedFromItsHeaderAlone() {
    EmbeddedChannel channel = new EmbeddedChannel(new PgMessageFramer(1024));
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(Bytes.hex("51 7fffffff"))))
        .isInstanceOf(DecoderException.class).cause()
        .hasMessage("length: 2147483643 (expected: <= 1024) for message type 'Q'");
    finish(channel);
  }

  @Test
  void lengthBelowFourIsRefused() {
    EmbeddedChannel channel = new EmbeddedChannel(new PgMessageFramer(1024));
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(Bytes.hex("51 00000003"))))
        .cause().hasMessage("length: 3 (expected: >= 4)");
    finish(channel);
  }

  @Test
  void startupFramerDecodesSslRequestThenStartupMessage() {
    EmbeddedChannel channel = new EmbeddedChannel(new PgStartupFramer(10_000));
    byte[] bytes = Bytes.hex("00000008 04d2162f 00000010 00030000 " + text("user") + " 00 " + text("a") + " 00 00"
        .replace(" 00 00", " 00 00"));
    for (byte b : bytes) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertThat((Object) channel.readInbound()).isEqualTo(new SSLRequest());
    assertThat((Object) channel.readInbound()).isInstanceOf(StartupMessage.class);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void oversizedStartupPacketIsRefused() {
    EmbeddedChannel channel = new EmbeddedChannel(new PgStartupFramer(10_000));
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(Bytes.hex("00002711"))))
        .cause().hasMessage("startup packet length: 10001 (expected: 8..10000)");
    finish(channel);
  }
}
