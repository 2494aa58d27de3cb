package io.portcullis.protocol.pg;

import static io.portcullis.protocol.pg.PgMessageFramerTest.assertRejected;
import static io.portcullis.protocol.pg.StartupPacketTest.STARTUP_3_0;
import static io.portcullis.protocol.pg.Wire.hex;
import static io.portcullis.protocol.pg.Wire.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.portcullis.protocol.pg.FramerHarness.Seen;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class PgStartupFramerTest {

  private static final byte[] SSL_REQUEST = wire(hex("00 00 00 08"), hex("04 d2 16 2f"));

  private static FramerHarness harness() {
    return new FramerHarness(new EmbeddedChannel(new PgStartupFramer(10_000)));
  }

  private static void assertStartupMessage(List<Object> out) {
    assertThat(out).singleElement().isInstanceOfSatisfying(StartupMessage.class, m ->
        assertThat(m.parameters()).containsExactly(Map.entry("user", "alice"), Map.entry("database", "db")));
  }

  @Test
  void startupMessageFedInOnePieceIsDecoded() {
    FramerHarness h = harness();
    assertStartupMessage(h.feed(STARTUP_3_0));
    h.finishWithoutLeaks();
  }

  @Test
  void startupMessageSplitAtEveryOffsetIsDecoded() {
    for (int split = 1; split < STARTUP_3_0.length; split++) {
      FramerHarness h = harness();
      assertStartupMessage(h.feed(
          Arrays.copyOfRange(STARTUP_3_0, 0, split), Arrays.copyOfRange(STARTUP_3_0, split, STARTUP_3_0.length)));
      h.finishWithoutLeaks();
    }
  }

  @Test
  void startupMessageFedByteByByteIsDecoded() {
    FramerHarness h = harness();
    assertStartupMessage(h.feed(FramerHarness.chunks(STARTUP_3_0, 1)));
    h.finishWithoutLeaks();
  }

  @Test
  void sslRequestThenStartupMessageAreBothDecodedAndTheFramerStays() {
    FramerHarness h = harness();
    assertThat(h.feed(FramerHarness.chunks(SSL_REQUEST, 1))).containsExactly(SSLRequest.INSTANCE);
    assertStartupMessage(h.feed(STARTUP_3_0));
    assertThat(h.channel().pipeline().get(PgStartupFramer.class)).isNotNull();
    h.finishWithoutLeaks();
  }

  @Test
  void cancelRequestIsDecoded() {
    FramerHarness h = harness();
    List<Object> out = h.feed(wire(hex("00 00 00 10"), hex("04 d2 16 2e"), hex("00 00 04 d2"), hex("01 02 03 04")));
    assertThat(out).singleElement().isInstanceOfSatisfying(CancelRequest.class, c -> {
      assertThat(c.processId()).isEqualTo(1234);
      assertThat(c.secretKey()).containsExactly(1, 2, 3, 4);
    });
    h.finishWithoutLeaks();
  }

  @Test
  void bytesPipelinedAfterSslRequestAreRejected() {
    FramerHarness h = harness();
    assertRejected(h, wire(SSL_REQUEST, "Q"), "bytes after SSLRequest: 1 (expected: 0 before the server answers)");
    h.finishWithoutLeaks();
  }

  @Test
  void bytesPipelinedAfterGssEncRequestAreRejected() {
    FramerHarness h = harness();
    assertRejected(h, wire(hex("00 00 00 08"), hex("04 d2 16 30"), STARTUP_3_0),
        "bytes after GSSENCRequest: 32 (expected: 0 before the server answers)");
    h.finishWithoutLeaks();
  }

  @Test
  void lengthBelowEightIsRejected() {
    FramerHarness h = harness();
    assertRejected(h, hex("00 00 00 07"), "startup packet length: 7 (expected: >= 8)");
    h.finishWithoutLeaks();
  }

  @Test
  void lengthAboveMaximumIsRejectedAsSoonAsTheLengthArrives() {
    FramerHarness h = harness();
    assertThat(h.feed(hex("00 00 27"))).isEmpty();
    assertRejected(h, hex("11"), "startup packet length: 10001 (expected: <= 10000)");
    h.finishWithoutLeaks();
  }

  @Test
  void tlsClientHelloInsteadOfStartupIsRejected() {
    // A client that starts TLS directly sends a handshake record: 16 03 01 ... reads as a huge length.
    FramerHarness h = harness();
    assertRejected(h, hex("16 03 01 02 00 01 00 01 fc 03 03"),
        "startup packet length: 369295618 (expected: <= 10000)");
    h.finishWithoutLeaks();
  }

  @Test
  void protocolVersion2IsRejectedWithFeatureNotSupported() {
    FramerHarness h = harness();
    assertThatThrownBy(() -> h.feed(wire(hex("00 00 00 08"), hex("00 02 00 00"))))
        .isInstanceOf(DecoderException.class)
        .cause()
        .isExactlyInstanceOf(PgProtocolException.class)
        .hasMessage("unsupported protocol version: 2.0 (expected: 3.x)")
        .extracting(e -> ((PgProtocolException) e).sqlState())
        .isEqualTo("0A000");
    assertThat(h.feed(STARTUP_3_0)).as("input after a violation is discarded").isEmpty();
    h.finishWithoutLeaks();
  }

  @Test
  void bytesAfterStartupMessageReachTheMessageFramerThatReplacesIt() {
    byte[] sync = wire('S', hex("00 00 00 04"));
    EmbeddedChannel channel = new EmbeddedChannel(new PgStartupFramer(10_000), new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Handle the packet first: replace() hands the leftover bytes to the new framer at once.
        ctx.fireChannelRead(msg);
        if (msg instanceof StartupMessage) {
          ctx.pipeline().replace(PgStartupFramer.class, "framer", new PgMessageFramer(1024));
        }
      }
    });
    FramerHarness h = new FramerHarness(channel);
    List<Object> out = h.feed(wire(STARTUP_3_0, sync));
    assertThat(out).hasSize(2);
    assertThat(out.get(0)).isInstanceOf(StartupMessage.class);
    assertThat(out.get(1)).usingRecursiveComparison().isEqualTo(new Seen('S', 0, sync, new byte[0]));
    h.finishWithoutLeaks();
  }

  @Test
  void bytesAfterStartupMessageWaitUndecodedUntilTheFramerIsReplaced() {
    // A proxy that decides asynchronously has not replaced the framer when the next bytes arrive.
    byte[] sync = wire('S', hex("00 00 00 04"));
    PgStartupFramer framer = new PgStartupFramer(10_000);
    FramerHarness h = new FramerHarness(new EmbeddedChannel(framer));
    assertStartupMessage(h.feed(wire(STARTUP_3_0, sync)));
    assertThat(h.feed(Arrays.copyOf(sync, 3))).isEmpty();
    assertThat(framer.bufferedBytes()).isEqualTo(sync.length + 3);
    h.channel().pipeline().replace(framer, "framer", new PgMessageFramer(1024));
    assertThat(h.read()).singleElement()
        .usingRecursiveComparison().isEqualTo(new Seen('S', 0, sync, new byte[0]));
    assertThat(h.feed(Arrays.copyOfRange(sync, 3, sync.length))).singleElement()
        .usingRecursiveComparison().isEqualTo(new Seen('S', 0, sync, new byte[0]));
    h.finishWithoutLeaks();
  }

  @Test
  void bytesAfterStartupMessageBeyondTheMaximumAreRejected() {
    FramerHarness h = new FramerHarness(new EmbeddedChannel(new PgStartupFramer(64)));
    assertStartupMessage(h.feed(STARTUP_3_0));
    assertThat(h.feed(new byte[64])).isEmpty();
    assertRejected(h, new byte[1],
        "bytes after the startup packet: 65 (expected: <= 64 before the startup framer is replaced)");
    assertThat(h.feed(new byte[8])).as("input after a violation is discarded").isEmpty();
    h.finishWithoutLeaks();
  }

  @Test
  void bytesAfterCancelRequestAreNotReadAsAnotherPacket() {
    FramerHarness h = harness();
    byte[] cancel = wire(hex("00 00 00 10"), hex("04 d2 16 2e"), hex("00 00 04 d2"), hex("01 02 03 04"));
    assertThat(h.feed(wire(cancel, cancel))).singleElement().isInstanceOf(CancelRequest.class);
    h.finishWithoutLeaks();
  }

  @Test
  void bufferedBytesReportsWhatIsWaitingToBeDecoded() {
    PgStartupFramer framer = new PgStartupFramer(10_000);
    FramerHarness h = new FramerHarness(new EmbeddedChannel(framer));
    h.feed(Arrays.copyOf(STARTUP_3_0, 5));
    assertThat(framer.bufferedBytes()).isEqualTo(5);
    h.finishWithoutLeaks();
  }

  @Test
  void maximumBelowEightIsRefused() {
    assertThatThrownBy(() -> new PgStartupFramer(7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxStartupBytes: 7 (expected: >= 8)");
  }
}
