package io.portcullis.protocol.pg;

import static io.portcullis.protocol.pg.Wire.hex;
import static io.portcullis.protocol.pg.Wire.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.portcullis.protocol.pg.FramerHarness.Seen;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class PgMessageFramerTest {

  private static final byte[] QUERY = wire('Q', hex("00 00 00 0d"), "SELECT 1", hex("00"));
  private static final byte[] SYNC = wire('S', hex("00 00 00 04"));
  private static final byte[] EXECUTE = wire('E', hex("00 00 00 09"), hex("00"), hex("00 00 00 00"));
  private static final byte[] STREAM = wire(QUERY, SYNC, EXECUTE);

  private static FramerHarness harness(int max) {
    return new FramerHarness(new EmbeddedChannel(new PgMessageFramer(max)));
  }

  private static void assertThreeFrames(List<Object> out) {
    assertThat(out).usingRecursiveFieldByFieldElementComparator().containsExactly(
        new Seen('Q', 9, QUERY, wire("SELECT 1", hex("00"))),
        new Seen('S', 0, SYNC, new byte[0]),
        new Seen('E', 5, EXECUTE, hex("00 00 00 00 00")));
  }

  @Test
  void streamFedInOnePieceYieldsOneFramePerMessage() {
    FramerHarness h = harness(1024);
    assertThreeFrames(h.feed(STREAM));
    h.finishWithoutLeaks();
  }

  @Test
  void streamSplitAtEveryOffsetYieldsTheSameFrames() {
    for (int split = 1; split < STREAM.length; split++) {
      FramerHarness h = harness(1024);
      assertThreeFrames(h.feed(Arrays.copyOfRange(STREAM, 0, split), Arrays.copyOfRange(STREAM, split, STREAM.length)));
      h.finishWithoutLeaks();
    }
  }

  @Test
  void streamFedByteByByteYieldsTheSameFrames() {
    FramerHarness h = harness(1024);
    assertThreeFrames(h.feed(FramerHarness.chunks(STREAM, 1)));
    h.finishWithoutLeaks();
  }

  @Test
  void frameSharesTheInputBytesInsteadOfCopyingThem() {
    EmbeddedChannel channel = new EmbeddedChannel(new PgMessageFramer(1024));
    ByteBuf input = Unpooled.wrappedBuffer(QUERY.clone());
    channel.writeInbound(input);
    PgFrame frame = channel.readInbound();
    try {
      input.setByte(5, 'X');
      assertThat((char) frame.payload().getByte(0)).isEqualTo('X');
    } finally {
      frame.release();
      channel.finishAndReleaseAll();
    }
    assertThat(input.refCnt()).isZero();
  }

  @Test
  void oversizedLengthIsRejectedAsSoonAsTheHeaderArrives() {
    FramerHarness h = harness(65_536);
    byte[] header = wire('Q', hex("00 01 11 74")); // length 70004: a payload of 70000 bytes
    assertThat(h.feed(Arrays.copyOf(header, 4))).isEmpty();
    assertRejected(h, new byte[] {header[4]}, "message 'Q' length: 70000 (expected: <= 65536)");
    h.finishWithoutLeaks();
  }

  @Test
  void payloadOfExactlyTheMaximumIsAccepted() {
    FramerHarness h = harness(4);
    assertThat(h.feed(wire('d', hex("00 00 00 08"), hex("01 02 03 04")))).hasSize(1);
    assertRejected(h, wire('d', hex("00 00 00 09")), "message 'd' length: 5 (expected: <= 4)");
    h.finishWithoutLeaks();
  }

  @Test
  void lengthBelowFourIsRejected() {
    FramerHarness h = harness(1024);
    assertRejected(h, wire('Q', hex("00 00 00 03")), "message 'Q' length: 3 (expected: >= 4)");
    h.finishWithoutLeaks();
  }

  @Test
  void negativeLengthIsRejected() {
    FramerHarness h = harness(1024);
    assertRejected(h, wire('Q', hex("80 00 00 00")), "message 'Q' length: -2147483648 (expected: >= 4)");
    h.finishWithoutLeaks();
  }

  @Test
  void inputAfterAViolationIsDiscarded() {
    FramerHarness h = harness(1024);
    assertRejected(h, wire('Q', hex("00 00 00 00")), "message 'Q' length: 0 (expected: >= 4)");
    assertThat(h.feed(SYNC, QUERY)).isEmpty();
    h.finishWithoutLeaks();
  }

  @Test
  void incompleteMessageAtCloseEmitsNothing() {
    FramerHarness h = harness(1024);
    assertThat(h.feed(Arrays.copyOf(QUERY, 7))).isEmpty();
    h.finishWithoutLeaks();
  }

  @Test
  void encodedMessagesRoundTripThroughFramerAndDecoderByteByByte() {
    List<FrontendMessage> sent = FrontendMessagesTest.golden()
        .map(a -> (FrontendMessage) ((Named<?>) a.get()[0]).getPayload())
        .collect(Collectors.toCollection(ArrayList::new));
    ByteBuf stream = Unpooled.buffer();
    sent.forEach(m -> m.encode(stream));
    byte[] bytes = ByteBufUtil.getBytes(stream);
    stream.release();
    EmbeddedChannel channel = new EmbeddedChannel(new PgMessageFramer(1024));
    List<FrontendMessage> received = new ArrayList<>();
    for (byte[] chunk : FramerHarness.chunks(bytes, 1)) {
      channel.writeInbound(Unpooled.wrappedBuffer(chunk));
      PgFrame frame;
      while ((frame = channel.readInbound()) != null) {
        try {
          received.add(FrontendMessages.decode(frame.type(), frame.payload()));
        } finally {
          frame.release();
        }
      }
    }
    assertThat(channel.finishAndReleaseAll()).isFalse();
    assertThat(received).usingRecursiveComparison().withStrictTypeChecking().isEqualTo(sent);
  }

  @Test
  void negativeMaximumIsRefused() {
    assertThatThrownBy(() -> new PgMessageFramer(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxMessageBytes: -1 (expected: >= 0)");
  }

  static void assertRejected(FramerHarness h, byte[] chunk, String message) {
    assertThatThrownBy(() -> h.feed(chunk))
        .isInstanceOf(DecoderException.class)
        .cause()
        .isExactlyInstanceOf(PgProtocolException.class)
        .hasMessage(message);
  }
}
