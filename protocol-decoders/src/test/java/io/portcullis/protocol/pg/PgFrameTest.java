package io.portcullis.protocol.pg;

import static io.portcullis.protocol.pg.Wire.hex;
import static io.portcullis.protocol.pg.Wire.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class PgFrameTest {

  private static final byte[] QUERY = wire('Q', hex("00 00 00 0d"), "SELECT 1", hex("00"));

  @Test
  void payloadIsTheBytesAfterTheHeader() {
    PgFrame frame = new PgFrame((byte) 'Q', Unpooled.wrappedBuffer(QUERY));
    try {
      assertThat(frame.length()).isEqualTo(9);
      assertThat(ByteBufUtil.getBytes(frame.payload())).isEqualTo(wire("SELECT 1", hex("00")));
      assertThat(FrontendMessages.decode(frame.type(), frame.payload())).isEqualTo(new Query("SELECT 1"));
      assertThat(frame.frame().readerIndex()).as("frame still ready to forward").isZero();
    } finally {
      frame.release();
    }
  }

  @Test
  void referenceCountIsTheFramesBuffers() {
    ByteBuf buf = Unpooled.wrappedBuffer(QUERY);
    PgFrame frame = new PgFrame((byte) 'Q', buf);
    assertThat(frame.retain()).isSameAs(frame);
    assertThat(buf.refCnt()).isEqualTo(2);
    assertThat(frame.touch("hint").refCnt()).isEqualTo(2);
    assertThat(frame.release()).isFalse();
    assertThat(frame.release()).isTrue();
    assertThat(buf.refCnt()).isZero();
  }

  @Test
  void mismatchedTypeIsRefused() {
    ByteBuf buf = Unpooled.wrappedBuffer(QUERY);
    try {
      assertThatThrownBy(() -> new PgFrame((byte) 'P', buf))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("frame type: 'Q' (expected: 'P')");
    } finally {
      buf.release();
    }
  }

  @Test
  void lengthThatDisagreesWithTheBufferIsRefused() {
    ByteBuf buf = Unpooled.wrappedBuffer(wire('S', hex("00 00 00 05")));
    try {
      assertThatThrownBy(() -> new PgFrame((byte) 'S', buf))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("frame length: 5 (expected: 4)");
    } finally {
      buf.release();
    }
  }

  @Test
  void toStringShowsTypeAndLengthButNotContents() {
    PgFrame frame = new PgFrame((byte) 'p', Unpooled.wrappedBuffer(wire('p', hex("00 00 00 0b"), "secret", hex("00"))));
    try {
      assertThat(frame).hasToString("PgFrame[type='p', length=7]");
    } finally {
      frame.release();
    }
  }

  @Test
  void protocolExceptionDefaultsToProtocolViolation() {
    assertThat(new PgProtocolException("x").sqlState()).isEqualTo("08P01");
    assertThat(new PgProtocolException("0A000", "x").sqlState()).isEqualTo("0A000");
  }
}
