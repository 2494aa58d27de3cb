package io.portcullis.protocol.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.portcullis.protocol.pg.LeakCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class SftpFrameDecoderTest {

  private final SftpFrameDecoder decoder = new SftpFrameDecoder(1024, UnpooledByteBufAllocator.DEFAULT);
  private final List<SftpFrame> frames = new ArrayList<>();

  @AfterEach
  void release() {
    frames.forEach(SftpFrame::release);
    decoder.close();
  }

  private void feed(byte[] bytes) {
    ByteBuf in = Unpooled.wrappedBuffer(bytes);
    try {
      decoder.decode(in, frames);
      assertThat(in.isReadable()).isFalse();
    } finally {
      in.release();
    }
  }

  @Test
  void framesTwoPacketsInOneRead() {
    byte[] a = SftpWire.packet(SftpType.INIT).u32(3).frame();
    byte[] b = SftpWire.packet(SftpType.REALPATH).u32(1).str(".").frame();
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    feed(both);
    assertThat(frames).hasSize(2);
    assertThat(frames.get(0).type()).isEqualTo(SftpType.INIT);
    assertThat(ByteBufUtil.getBytes(frames.get(1).frame())).isEqualTo(b);
    assertThat(frames.get(1).length()).isEqualTo(b.length - 4);
  }

  @Test
  void framesAPacketFedOneByteAtATime() {
    byte[] a = SftpWire.packet(SftpType.OPEN).u32(7).str("/etc/hosts").u32(1).noAttrs().frame();
    for (int i = 0; i < a.length; i++) {
      feed(new byte[] {a[i]});
      assertThat(frames).hasSize(i == a.length - 1 ? 1 : 0);
      if (i < a.length - 1) {
        assertThat(decoder.bufferedBytes()).isEqualTo(i + 1);
        assertThat(decoder.hasPartialFrame()).isTrue();
      }
    }
    assertThat(ByteBufUtil.getBytes(frames.get(0).frame())).isEqualTo(a);
    assertThat(decoder.hasPartialFrame()).isFalse();
  }

  @Test
  void refusesALengthOverTheLimitBeforeAllocatingIt() {
    assertThatThrownBy(() -> feed(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}))
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("length: 2147483647 (expected: 1..1024)");
    assertThat(decoder.bufferedBytes()).isEqualTo(4);
  }

  @Test
  void refusesTheLargestUint32Length() {
    assertThatThrownBy(() -> feed(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}))
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("length: 4294967295 (expected: 1..1024)");
  }

  @Test
  void refusesAZeroLength() {
    assertThatThrownBy(() -> feed(new byte[] {0, 0, 0, 0}))
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("length: 0 (expected: 1..1024)");
  }

  @Test
  void keepsTheFramesBeforeAnErrorAndRefusesInputAfterIt() {
    byte[] a = SftpWire.packet(SftpType.INIT).u32(3).frame();
    byte[] bad = Arrays.copyOf(a, a.length + 4);
    bad[a.length] = 0x10; // 0x10000000 > 1024
    assertThatThrownBy(() -> feed(bad)).isInstanceOf(SftpProtocolException.class);
    assertThat(frames).hasSize(1);
    assertThatThrownBy(() -> feed(a))
        .isInstanceOf(SftpProtocolException.class)
        .hasMessageContaining("failed earlier");
  }

  @Test
  void acceptsExactlyTheLimit() {
    byte[] payload = new byte[1024];
    payload[0] = SftpType.WRITE;
    ByteBuf f = Unpooled.buffer().writeInt(1024).writeBytes(payload);
    feed(ByteBufUtil.getBytes(f));
    f.release();
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).length()).isEqualTo(1024);
  }

  @Test
  void closeReleasesAPartialFrame() {
    SftpFrameDecoder d = new SftpFrameDecoder(100, UnpooledByteBufAllocator.DEFAULT);
    ByteBuf in = Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 50, 1, 2, 3});
    d.decode(in, frames);
    in.release();
    assertThat(d.bufferedBytes()).isEqualTo(7);
    d.close();
    assertThat(d.bufferedBytes()).isZero();
  }

  @Test
  void refusesALimitTooSmallForAnInit() {
    assertThatThrownBy(() -> new SftpFrameDecoder(4, UnpooledByteBufAllocator.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxLength: 4 (expected: >= 5)");
  }

  @Test
  void aFrameWhoseLengthFieldDisagreesIsRefused() {
    assertThatThrownBy(() -> new SftpFrame(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 9, 1, 0, 0, 0, 3})))
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("length: 9 (expected: 5)");
  }
}
