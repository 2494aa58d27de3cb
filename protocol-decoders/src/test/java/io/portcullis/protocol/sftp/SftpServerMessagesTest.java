package io.portcullis.protocol.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.portcullis.protocol.sftp.SftpServerMessage.Handle;
import io.portcullis.protocol.sftp.SftpServerMessage.Name;
import io.portcullis.protocol.sftp.SftpServerMessage.Other;
import io.portcullis.protocol.sftp.SftpServerMessage.Status;
import io.portcullis.protocol.sftp.SftpServerMessage.Version;
import java.util.List;
import org.junit.jupiter.api.Test;

class SftpServerMessagesTest {

  @Test
  void versionWithOpenSshExtensions() {
    SftpServerMessage m = SftpWire.packet(SftpType.VERSION).u32(3)
        .str("posix-rename@openssh.com").str("1").str("limits@openssh.com").str("1").decodeServer();
    assertThat(m).isEqualTo(new Version(3, List.of("posix-rename@openssh.com", "limits@openssh.com")));
    assertThat(m.requestId()).isEqualTo(-1);
  }

  @Test
  void handle() {
    assertThat(SftpWire.packet(SftpType.HANDLE).u32(4).bytes(new byte[] {0, 0, 0, 1}).decodeServer())
        .isEqualTo(new Handle(4, "\0\0\0\1"));
  }

  @Test
  void handleWithTrailingBytesIsRefused() {
    assertThatThrownBy(() -> SftpWire.packet(SftpType.HANDLE).u32(4).str("h").u8(0).decodeServer())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_HANDLE: trailing bytes: 1 (expected: 0)");
  }

  @Test
  void statusKeepsTheCode() {
    assertThat(SftpWire.packet(SftpType.STATUS).u32(4).u32(2).str("No such file").str("").decodeServer())
        .isEqualTo(new Status(4, 2));
  }

  @Test
  void nameOfARealpath() {
    assertThat(SftpWire.packet(SftpType.NAME).u32(9).u32(1).str("/home/portcullis").str("").noAttrs().decodeServer())
        .isEqualTo(new Name(9, List.of("/home/portcullis")));
  }

  @Test
  void nameWithACountTheBytesCannotHold() {
    assertThatThrownBy(() -> SftpWire.packet(SftpType.NAME).u32(9).u32(0x7FFFFFFF).decodeServer())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_NAME: count: 2147483647 (expected: <= 0)");
  }

  @Test
  void dataIsOnlyTypeAndId() {
    assertThat(SftpWire.packet(SftpType.DATA).u32(5).bytes(new byte[10]).decodeServer())
        .isEqualTo(new Other(SftpType.DATA, 5));
  }

  @Test
  void statusEncoderMatchesTheWireLayout() {
    ByteBuf status = SftpEncoder.status(UnpooledByteBufAllocator.DEFAULT, 0xFFFFFFFEL,
        SftpStatus.PERMISSION_DENIED, "denied: é", "en");
    byte[] expected = SftpWire.packet(SftpType.STATUS).u32(0xFFFFFFFEL).u32(3).str("denied: é").str("en").frame();
    assertThat(ByteBufUtil.getBytes(status)).isEqualTo(expected);
    status.release();
  }

  @Test
  void versionEncoderRoundTrips() {
    ByteBuf version = SftpEncoder.version(UnpooledByteBufAllocator.DEFAULT, 3, List.of("a@b", "1"));
    SftpFrame f = new SftpFrame(version);
    assertThat(SftpServerMessages.decode(f)).isEqualTo(new Version(3, List.of("a@b")));
    f.release();
    assertThatThrownBy(() -> SftpEncoder.version(UnpooledByteBufAllocator.DEFAULT, 3, List.of("a")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void initAndRealpathEncodersDecodeAsClientRequests() {
    SftpFrame init = new SftpFrame(SftpEncoder.init(UnpooledByteBufAllocator.DEFAULT, 3));
    assertThat(SftpClientMessages.decode(init)).isEqualTo(new SftpClientMessage.Init(3));
    init.release();
    SftpFrame rp = new SftpFrame(SftpEncoder.realpath(UnpooledByteBufAllocator.DEFAULT, 7, "."));
    assertThat(SftpClientMessages.decode(rp))
        .isEqualTo(new SftpClientMessage.PathRequest(SftpType.REALPATH, 7, "."));
    rp.release();
  }
}
