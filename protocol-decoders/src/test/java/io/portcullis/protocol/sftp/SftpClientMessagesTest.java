package io.portcullis.protocol.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.protocol.sftp.SftpClientMessage.Extended;
import io.portcullis.protocol.sftp.SftpClientMessage.HandleRequest;
import io.portcullis.protocol.sftp.SftpClientMessage.Init;
import io.portcullis.protocol.sftp.SftpClientMessage.Link;
import io.portcullis.protocol.sftp.SftpClientMessage.Open;
import io.portcullis.protocol.sftp.SftpClientMessage.PathRequest;
import io.portcullis.protocol.sftp.SftpClientMessage.Read;
import io.portcullis.protocol.sftp.SftpClientMessage.Rename;
import io.portcullis.protocol.sftp.SftpClientMessage.Symlink;
import io.portcullis.protocol.sftp.SftpClientMessage.Unknown;
import io.portcullis.protocol.sftp.SftpClientMessage.Write;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SftpClientMessagesTest {

  @Test
  void initWithExtensions() {
    SftpClientMessage m = SftpWire.packet(SftpType.INIT).u32(3).str("x@y").str("1").decodeClient();
    assertThat(m).isEqualTo(new Init(3));
    assertThat(m.requestId()).isEqualTo(-1);
  }

  @Test
  void openForReadOnly() {
    Open o = (Open) SftpWire.packet(SftpType.OPEN).u32(5).str("/srv/data/a.txt")
        .u32(Open.READ).noAttrs().decodeClient();
    assertThat(o).isEqualTo(new Open(5, "/srv/data/a.txt", Open.READ));
    assertThat(o.read()).isTrue();
    assertThat(o.write()).isFalse();
  }

  @Test
  void openAsOpenSshUploadsHasEveryWriteFlag() {
    // sftp put: WRITE|CREAT|TRUNC with a permissions attribute.
    Open o = (Open) SftpWire.packet(SftpType.OPEN).u32(9).str("up/file")
        .u32(Open.WRITE | Open.CREAT | Open.TRUNC).u32(0x4).u32(0644).decodeClient();
    assertThat(o.write()).isTrue();
    assertThat(o.create()).isTrue();
    assertThat(o.truncate()).isTrue();
    assertThat(o.read()).isFalse();
    assertThat(o.append()).isFalse();
    assertThat(o.exclusive()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {Open.APPEND, Open.CREAT, Open.TRUNC, Open.EXCL, Open.READ | Open.APPEND})
  void anyFlagThatCanChangeTheFileCountsAsWrite(int flags) {
    Open o = (Open) SftpWire.packet(SftpType.OPEN).u32(1).str("/f").u32(flags).noAttrs().decodeClient();
    assertThat(o.write()).isTrue();
  }

  @Test
  void openWithFullAttrsAndExtendedPairs() {
    Open o = (Open) SftpWire.packet(SftpType.OPEN).u32(1).str("/f").u32(Open.WRITE)
        .u32(0x8000000FL).u64(10).u32(1).u32(2).u32(0600).u32(3).u32(4)
        .u32(1).str("t").str("d").decodeClient();
    assertThat(o.path()).isEqualTo("/f");
  }

  @ParameterizedTest
  @ValueSource(ints = {SftpType.OPENDIR, SftpType.REMOVE, SftpType.RMDIR, SftpType.STAT,
      SftpType.LSTAT, SftpType.REALPATH, SftpType.READLINK})
  void pathRequests(int type) {
    assertThat(SftpWire.packet(type).u32(42).str("/a/b").decodeClient())
        .isEqualTo(new PathRequest(type, 42, "/a/b"));
  }

  @ParameterizedTest
  @ValueSource(ints = {SftpType.MKDIR, SftpType.SETSTAT})
  void pathRequestsWithAttrs(int type) {
    assertThat(SftpWire.packet(type).u32(42).str("d").u32(0x4).u32(0755).decodeClient())
        .isEqualTo(new PathRequest(type, 42, "d"));
  }

  @Test
  void rename() {
    assertThat(SftpWire.packet(SftpType.RENAME).u32(3).str("/a").str("/b").decodeClient())
        .isEqualTo(new Rename(3, "/a", "/b"));
  }

  @Test
  void symlinkInOpenSshOrderTargetFirst() {
    // "ln -s /etc/shadow up/s" in sftp sends targetpath=/etc/shadow, then linkpath=up/s.
    assertThat(SftpWire.packet(SftpType.SYMLINK).u32(3).str("/etc/shadow").str("up/s").decodeClient())
        .isEqualTo(new Symlink(3, "up/s", "/etc/shadow"));
  }

  @Test
  void linkOfLaterDrafts() {
    assertThat(SftpWire.packet(SftpType.LINK).u32(3).str("/n").str("/e").u8(1).decodeClient())
        .isEqualTo(new Link(3, "/n", "/e", true));
  }

  @Test
  void readAndWriteOnHandles() {
    assertThat(SftpWire.packet(SftpType.READ).u32(7).str("h1").u64(1L << 40).u32(32768).decodeClient())
        .isEqualTo(new Read(7, "h1", 1L << 40, 32768));
    assertThat(SftpWire.packet(SftpType.WRITE).u32(8).str("h1").u64(0).bytes(new byte[100]).decodeClient())
        .isEqualTo(new Write(8, "h1", 0, 100));
  }

  @Test
  void handlesAreKeptByteForByte() {
    byte[] handle = {0, (byte) 0xff, (byte) 0x80, 'a'};
    HandleRequest h = (HandleRequest) SftpWire.packet(SftpType.CLOSE).u32(1).bytes(handle).decodeClient();
    assertThat(h.handle()).hasSize(4);
    assertThat(h.handle().charAt(1)).isEqualTo((char) 0xff);
  }

  @ParameterizedTest
  @ValueSource(ints = {SftpType.CLOSE, SftpType.FSTAT, SftpType.READDIR})
  void handleRequests(int type) {
    assertThat(SftpWire.packet(type).u32(2).str("h").decodeClient())
        .isEqualTo(new HandleRequest(type, 2, "h"));
  }

  @Test
  void fsetstat() {
    assertThat(SftpWire.packet(SftpType.FSETSTAT).u32(2).str("h").u32(0x8).u32(1).u32(2).decodeClient())
        .isEqualTo(new HandleRequest(SftpType.FSETSTAT, 2, "h"));
  }

  @Test
  void extensionsWithPaths() {
    assertThat(ext("posix-rename@openssh.com").str("/a").str("/b").decodeClient())
        .isEqualTo(new Extended(1, "posix-rename@openssh.com", SftpExtension.POSIX_RENAME, "/a", "/b", null, null));
    assertThat(ext("hardlink@openssh.com").str("/existing").str("/new").decodeClient())
        .isEqualTo(new Extended(1, "hardlink@openssh.com", SftpExtension.HARDLINK, "/new", "/existing", null, null));
    assertThat(ext("statvfs@openssh.com").str("/").decodeClient())
        .isEqualTo(new Extended(1, "statvfs@openssh.com", SftpExtension.STATVFS, "/", null, null, null));
    assertThat(ext("expand-path@openssh.com").str("~/x").decodeClient())
        .isEqualTo(new Extended(1, "expand-path@openssh.com", SftpExtension.EXPAND_PATH, "~/x", null, null, null));
    assertThat(ext("lsetstat@openssh.com").str("/l").u32(0x4).u32(0777).decodeClient())
        .isEqualTo(new Extended(1, "lsetstat@openssh.com", SftpExtension.LSETSTAT, "/l", null, null, null));
  }

  @Test
  void extensionsWithHandles() {
    assertThat(ext("fsync@openssh.com").str("h").decodeClient())
        .isEqualTo(new Extended(1, "fsync@openssh.com", SftpExtension.FSYNC, null, null, "h", null));
    assertThat(ext("fstatvfs@openssh.com").str("h").decodeClient())
        .isEqualTo(new Extended(1, "fstatvfs@openssh.com", SftpExtension.FSTATVFS, null, null, "h", null));
    assertThat(ext("copy-data").str("r").u64(0).u64(10).str("w").u64(5).decodeClient())
        .isEqualTo(new Extended(1, "copy-data", SftpExtension.COPY_DATA, null, null, "r", "w"));
  }

  @Test
  void extensionsWithoutPaths() {
    assertThat(ext("limits@openssh.com").decodeClient())
        .isEqualTo(new Extended(1, "limits@openssh.com", SftpExtension.LIMITS, null, null, null, null));
    assertThat(ext("home-directory").str("alice").decodeClient())
        .isEqualTo(new Extended(1, "home-directory", SftpExtension.HOME_DIRECTORY, null, null, null, null));
    assertThat(ext("users-groups-by-id@openssh.com").bytes(new byte[8]).bytes(new byte[4]).decodeClient())
        .isEqualTo(new Extended(1, "users-groups-by-id@openssh.com", SftpExtension.USERS_GROUPS_BY_ID, null, null, null, null));
  }

  @Test
  void unknownExtensionKeepsOnlyItsName() {
    assertThat(ext("evil@example").raw(1, 2, 3).decodeClient())
        .isEqualTo(new Extended(1, "evil@example", null, null, null, null, null));
  }

  @Test
  void unknownTypeKeepsItsId() {
    SftpClientMessage m = SftpWire.packet(SftpType.HANDLE).u32(77).str("h").decodeClient();
    assertThat(m).isEqualTo(new Unknown(SftpType.HANDLE, 77));
    assertThat(m.requestId()).isEqualTo(77);
  }

  @Test
  void idsAreUnsigned() {
    assertThat(SftpWire.packet(SftpType.STAT).u32(0xFFFFFFFFL).str("/").decodeClient().requestId())
        .isEqualTo(0xFFFFFFFFL);
  }

  // Adversarial packets.

  @Test
  void pathLengthPastTheEnd() {
    assertThatThrownBy(() -> SftpWire.packet(SftpType.REMOVE).u32(1).u32(1000).raw('a').decodeClient())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_REMOVE: path length: 1000 (expected: <= 1)");
  }

  @Test
  void pathLengthNegativeAsSigned() {
    assertThatThrownBy(() -> SftpWire.packet(SftpType.REMOVE).u32(1).u32(0xFFFFFFF0L).decodeClient())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_REMOVE: path length: 4294967280 (expected: <= 0)");
  }

  @Test
  void nulInAPathIsRefused() {
    assertThatThrownBy(() -> SftpWire.packet(SftpType.OPEN).u32(1).str("/up/ok\0/../../etc/passwd")
        .u32(Open.WRITE).noAttrs().decodeClient())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_OPEN: filename: contains NUL (expected: none)");
  }

  @Test
  void invalidUtf8InAPathIsRefused() {
    assertThatThrownBy(() -> SftpWire.packet(SftpType.REMOVE).u32(1)
        .bytes(new byte[] {'/', (byte) 0xc0, (byte) 0xaf}).decodeClient())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_REMOVE: path: invalid UTF-8 (expected: UTF-8)");
  }

  @Test
  void trailingBytesAreRefused() {
    // A server that reads one path would act on it; the gateway must not decide on something else.
    assertThatThrownBy(() -> SftpWire.packet(SftpType.REMOVE).u32(1).str("/a").str("/b").decodeClient())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_REMOVE: trailing bytes: 6 (expected: 0)");
  }

  @Test
  void truncatedId() {
    assertThatThrownBy(() -> SftpWire.packet(SftpType.STAT).raw(0, 0).decodeClient())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_STAT: id: 2 bytes left (expected: >= 4)");
  }

  @Test
  void truncatedOpenFlags() {
    assertThatThrownBy(() -> SftpWire.packet(SftpType.OPEN).u32(1).str("/f").raw(0).decodeClient())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_OPEN: pflags: 1 bytes left (expected: >= 4)");
  }

  @Test
  void unknownAttrFlagsAreRefused() {
    assertThatThrownBy(() -> SftpWire.packet(SftpType.SETSTAT).u32(1).str("/f").u32(0x10).decodeClient())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_SETSTAT: attrs flags: 0x10 (expected: bits of 0x8000000f)");
  }

  @Test
  void hugeExtendedAttrCountIsRefusedBeforeLooping() {
    assertThatThrownBy(() -> SftpWire.packet(SftpType.SETSTAT).u32(1).str("/f").u32(0x80000000L)
        .u32(0xFFFFFFFFL).decodeClient())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_SETSTAT: attrs extended count: 4294967295 (expected: <= 0)");
  }

  @Test
  void handleOver256BytesIsRefused() {
    assertThatThrownBy(() -> SftpWire.packet(SftpType.READ).u32(1).bytes(new byte[257]).u64(0).u32(1).decodeClient())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_READ: handle length: 257 (expected: <= 256)");
  }

  @Test
  void writeDataLengthPastTheEnd() {
    assertThatThrownBy(() -> SftpWire.packet(SftpType.WRITE).u32(1).str("h").u64(0).u32(50).raw(1, 2).decodeClient())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_WRITE: data length: 50 (expected: <= 2)");
  }

  @Test
  void knownExtensionWithMissingArgument() {
    assertThatThrownBy(() -> ext("posix-rename@openssh.com").str("/a").decodeClient())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_EXTENDED: newpath length: 0 bytes left (expected: >= 4)");
  }

  @Test
  void knownExtensionWithTrailingBytes() {
    assertThatThrownBy(() -> ext("statvfs@openssh.com").str("/a").str("/b").decodeClient())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_EXTENDED: trailing bytes: 6 (expected: 0)");
  }

  @Test
  void idListsNotMultiplesOfFour() {
    assertThatThrownBy(() -> ext("users-groups-by-id@openssh.com").bytes(new byte[3]).bytes(new byte[0]).decodeClient())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_EXTENDED: id lists: 3 and 0 bytes (expected: multiples of 4)");
  }

  @Test
  void typeByteAlone() {
    assertThatThrownBy(() -> SftpWire.packet(SftpType.OPEN).decodeClient())
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("SSH_FXP_OPEN: id: 0 bytes left (expected: >= 4)");
  }

  private static SftpWire ext(String name) {
    return SftpWire.packet(SftpType.EXTENDED).u32(1).str(name);
  }
}
