package io.portcullis.protocol.pg;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Coverage-guided fuzzing of the client side of the wire: the startup framer, the message framer
 * and {@link FrontendMessages#decode}, driven through an EmbeddedChannel as the proxy drives them.
 *
 * <p>Oracle, for any input: the only failure is a {@link PgProtocolException} (thrown by a decoder
 * it arrives wrapped in Netty's {@link DecoderException}); nothing is buffered or allocated beyond
 * the framer's limit plus one read (up to Netty's rounding); a decoded message encodes back to exactly the bytes that
 * arrived (so what the gateway decides on is what the server reads); and every input buffer is
 * released. Inputs are bounded by the fuzzer's length limit, so a run cannot hang on its input.
 *
 * <p>The first input byte chooses how the rest is split into reads (1 to 63 bytes, or one piece);
 * the second, for the message framer, chooses its limit.
 */
@ExtendWith(LeakCheck.class)
class FrontendFramingFuzzTest {

  /** The proxy's limit for startup packets ({@code LimitSettings.MAX_STARTUP_BYTES}). */
  private static final int MAX_STARTUP_BYTES = 10_000;

  /** Query-phase bytes of a session: the message framer alone. */
  @FuzzTest(maxDuration = "10m")
  void messages(byte[] data) {
    if (data.length < 2) {
      return;
    }
    int limit = (data[1] & 0xFF) < 0x80 ? (data[1] & 0x7F) * 4 : 1 << 16;
    Run run = new Run(new PgMessageFramer(limit), limit + PgFrame.HEADER_BYTES, data[0]);
    run.feed(Arrays.copyOfRange(data, 2, data.length));
    run.finish();
  }

  /**
   * A whole client stream: startup packets, then, once a StartupMessage is decoded, the message
   * framer takes over as in {@code PgStartupHandler} and gets the bytes the startup framer held.
   */
  @FuzzTest(maxDuration = "10m")
  void clientStream(byte[] data) {
    if (data.length < 1) {
      return;
    }
    Run run = new Run(new PgStartupFramer(MAX_STARTUP_BYTES), MAX_STARTUP_BYTES, data[0]);
    run.feed(Arrays.copyOfRange(data, 1, data.length));
    run.finish();
  }

  /** One fuzz execution: a channel, what it was fed, and the checks after each read. */
  private static final class Run {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final CountingAllocator alloc = new CountingAllocator();
    private final List<ByteBuf> inputs = new ArrayList<>();
    private final int chunk;
    private int bufferLimit;
    private int largestRead;
    private boolean failed;

    Run(io.netty.channel.ChannelHandler framer, int bufferLimit, byte split) {
      this.bufferLimit = bufferLimit;
      this.chunk = (split & 0x3F) == 0 ? Integer.MAX_VALUE : split & 0x3F;
      channel.config().setAllocator(alloc);
      channel.pipeline().addLast("framer", framer);
      channel.pipeline().addLast("decode", new Checker());
    }

    void feed(byte[] bytes) {
      for (int i = 0; i < bytes.length && !failed && channel.isOpen(); i += chunk) {
        byte[] piece = Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk));
        largestRead = Math.max(largestRead, piece.length);
        ByteBuf buf = Unpooled.wrappedBuffer(piece);
        inputs.add(buf);
        try {
          channel.writeInbound(buf);
        } catch (DecoderException e) {
          assertThat(e).hasCauseInstanceOf(PgProtocolException.class);
          failed = true;
        } catch (PgProtocolException e) {
          failed = true;
        }
        checkBounds();
      }
    }

    void finish() {
      channel.finishAndReleaseAll();
      for (ByteBuf input : inputs) {
        assertThat(input.refCnt()).as("input buffer released").isZero();
      }
    }

    private void checkBounds() {
      var framer = channel.pipeline().get("framer");
      // The message framer's buffer is bounded by the allocation check below.
      if (framer instanceof PgStartupFramer f) {
        assertThat(f.bufferedBytes()).isLessThanOrEqualTo(bufferLimit);
      }
      // Netty's cumulator rounds sizes up (at least 64 bytes, then powers of two); what must hold
      // is that no allocation follows a length field past the limit.
      assertThat(alloc.largest()).as("largest allocation")
          .isLessThanOrEqualTo(Math.max(64, 2 * (bufferLimit + PgFrame.HEADER_BYTES + largestRead)));
    }

    /** Decodes what the framers emit, swaps framers after a StartupMessage, releases frames. */
    private final class Checker extends ChannelInboundHandlerAdapter {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
          case PgFrame frame -> {
            try {
              checkFrame(frame);
            } finally {
              frame.release();
            }
          }
          case StartupPacket packet -> {
            checkRoundTrip(packet::encode, packet);
            if (packet instanceof StartupMessage) {
              bufferLimit = 1 << 16;
              ctx.pipeline().replace("framer", "framer", new PgMessageFramer(1 << 16));
            }
          }
          default -> throw new AssertionError("unexpected message: " + msg.getClass());
        }
      }

      private void checkFrame(PgFrame frame) {
        FrontendMessage message;
        try {
          message = FrontendMessages.decode(frame.type(), frame.payload());
        } catch (PgProtocolException e) {
          return;
        }
        ByteBuf encoded = Unpooled.buffer();
        try {
          message.encode(encoded);
          assertThat(ByteBufUtil.getBytes(encoded)).as("re-encoded %s", message.getClass().getSimpleName())
              .isEqualTo(ByteBufUtil.getBytes(frame.frame()));
        } finally {
          encoded.release();
        }
      }

      private void checkRoundTrip(java.util.function.Consumer<ByteBuf> encode, StartupPacket packet) {
        ByteBuf encoded = Unpooled.buffer();
        try {
          encode.accept(encoded);
          assertThat(encoded.readableBytes()).as("re-encoded %s", packet.getClass().getSimpleName())
              .isLessThanOrEqualTo(MAX_STARTUP_BYTES);
        } finally {
          encoded.release();
        }
      }
    }
  }
}
