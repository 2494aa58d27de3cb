package io.portcullis.protocol.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.document.SftpOperation;
import io.portcullis.protocol.sftp.SftpClientMessage.Open;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SftpOperationsTest {

  private static final String HOME = "/home/portcullis";

  private static Optional<SftpOperation> of(SftpWire w) {
    return SftpOperations.of(w.decodeClient(), HOME);
  }

  @Test
  void openReadAndWrite() {
    assertThat(of(SftpWire.packet(SftpType.OPEN).u32(1).str("/srv/files/a").u32(Open.READ).noAttrs()))
        .contains(new SftpOperation("open", "/srv/files/a", null, "read", null));
    assertThat(of(SftpWire.packet(SftpType.OPEN).u32(1).str("up/./b").u32(Open.WRITE | Open.CREAT).noAttrs()))
        .contains(new SftpOperation("open", HOME + "/up/b", null, "write", null));
  }

  @Test
  void traversalIsNormalisedBeforeThePolicySeesIt() {
    assertThat(of(SftpWire.packet(SftpType.OPEN).u32(1).str("/srv/upload/../../etc/passwd")
        .u32(Open.WRITE).noAttrs()))
        .contains(new SftpOperation("open", "/etc/passwd", null, "write", null));
  }

  @Test
  void pathOperations() {
    assertThat(of(SftpWire.packet(SftpType.REMOVE).u32(1).str("/a"))).contains(new SftpOperation("remove", "/a", null, "write", null));
    assertThat(of(SftpWire.packet(SftpType.MKDIR).u32(1).str("/a").noAttrs())).contains(new SftpOperation("mkdir", "/a", null, "write", null));
    assertThat(of(SftpWire.packet(SftpType.RMDIR).u32(1).str("/a"))).contains(new SftpOperation("rmdir", "/a", null, "write", null));
    assertThat(of(SftpWire.packet(SftpType.SETSTAT).u32(1).str("/a").noAttrs())).contains(new SftpOperation("setstat", "/a", null, "write", null));
    assertThat(of(SftpWire.packet(SftpType.OPENDIR).u32(1).str("/a"))).contains(new SftpOperation("opendir", "/a", null, "read", null));
    assertThat(of(SftpWire.packet(SftpType.STAT).u32(1).str("/a"))).contains(new SftpOperation("stat", "/a", null, "read", null));
    assertThat(of(SftpWire.packet(SftpType.LSTAT).u32(1).str("/a"))).contains(new SftpOperation("stat", "/a", null, "read", null));
    assertThat(of(SftpWire.packet(SftpType.REALPATH).u32(1).str("."))).contains(new SftpOperation("realpath", HOME, null, "read", null));
    assertThat(of(SftpWire.packet(SftpType.READLINK).u32(1).str("/a"))).contains(new SftpOperation("readlink", "/a", null, "read", null));
  }

  @Test
  void twoPathOperations() {
    assertThat(of(SftpWire.packet(SftpType.RENAME).u32(1).str("a").str("/b")))
        .contains(new SftpOperation("rename", HOME + "/a", "/b", "write", null));
    // OpenSSH order: target, then the link; the link is the path created.
    assertThat(of(SftpWire.packet(SftpType.SYMLINK).u32(1).str("/etc/shadow").str("/srv/upload/s")))
        .contains(new SftpOperation("symlink", "/srv/upload/s", "/etc/shadow", "write", null));
    assertThat(of(SftpWire.packet(SftpType.LINK).u32(1).str("/n").str("/e").u8(0)))
        .contains(new SftpOperation("link", "/n", "/e", "write", null));
  }

  @Test
  void extensions() {
    assertThat(of(ext("posix-rename@openssh.com").str("/a").str("b")))
        .contains(new SftpOperation("extended", "/a", HOME + "/b", "write", "posix-rename@openssh.com"));
    assertThat(of(ext("hardlink@openssh.com").str("/old").str("/new")))
        .contains(new SftpOperation("extended", "/new", "/old", "write", "hardlink@openssh.com"));
    assertThat(of(ext("statvfs@openssh.com").str("/")))
        .contains(new SftpOperation("extended", "/", null, "read", "statvfs@openssh.com"));
    assertThat(of(ext("limits@openssh.com")))
        .contains(new SftpOperation("extended", null, null, null, "limits@openssh.com"));
    assertThat(of(ext("x@y").raw(1)))
        .contains(new SftpOperation("extended", null, null, null, "x@y"));
    assertThat(of(ext("fsync@openssh.com").str("h"))).isEmpty();
  }

  @Test
  void handleRequestsAreNotAsked() {
    assertThat(of(SftpWire.packet(SftpType.READ).u32(1).str("h").u64(0).u32(10))).isEmpty();
    assertThat(of(SftpWire.packet(SftpType.WRITE).u32(1).str("h").u64(0).str("x"))).isEmpty();
    assertThat(of(SftpWire.packet(SftpType.CLOSE).u32(1).str("h"))).isEmpty();
    assertThat(of(SftpWire.packet(SftpType.INIT).u32(3))).isEmpty();
  }

  private static SftpWire ext(String name) {
    return SftpWire.packet(SftpType.EXTENDED).u32(1).str(name);
  }
}
