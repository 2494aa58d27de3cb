package io.portcullis.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.portcullis.document.SftpOperation;
import io.portcullis.protocol.sftp.SftpFrame;
import io.portcullis.protocol.sftp.SftpFrameDecoder;
import io.portcullis.protocol.sftp.SftpServerMessage;
import io.portcullis.protocol.sftp.SftpServerMessages;
import io.portcullis.protocol.sftp.SftpType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sftp relay fed the packets an OpenSSH client and server exchange, and some they never
 * would: what reaches the target, what the client gets back, and what was asked.
 */
class SftpRelayTest {

  private final List<SftpOperation> asked = new ArrayList<>();
  private final List<String> refusedLocally = new ArrayList<>();
  private Predicate<SftpOperation> allows = op -> !op.path().startsWith("/etc");
  private final SftpDecider decider = new SftpDecider() {
    @Override
    public String decide(SftpOperation operation) {
      asked.add(operation);
      return allows.test(operation) ? null : "sftp: not here: " + operation.path();
    }

    @Override
    public void refusedLocally(SftpOperation operation, String reason) {
      refusedLocally.add(reason);
    }

    @Override
    public String sessionId() {
      return "s-1";
    }

    @Override
    public boolean sessionEnded() {
      return ended;
    }
  };
  private boolean ended;
  private final SftpRelay relay = new SftpRelay(decider, 64 * 1024);
  private final ByteArrayOutputStream toTarget = new ByteArrayOutputStream();
  private final ByteArrayOutputStream toClient = new ByteArrayOutputStream();

  @AfterEach
  void close() {
    relay.closed();
  }

  @Test
  void homeIsAskedAfterInitAndVersionHeldUntilItIsKnown() throws IOException {
    client(packet(SftpType.INIT).u32(3));
    assertThat(toTarget.toByteArray()).isEqualTo(concat(packet(SftpType.INIT).u32(3).frame(),
        packet(SftpType.REALPATH).u32(0xFFFFFFFFL).str(".").frame()));
    target(packet(SftpType.VERSION).u32(3).str("limits@openssh.com").str("1"));
    assertThat(toClient.size()).as("VERSION held until the home is known").isZero();
    target(packet(SftpType.NAME).u32(0xFFFFFFFFL).u32(1).str("/home/u").str("").u32(0));
    assertThat(replies()).singleElement().isInstanceOf(SftpServerMessage.Version.class);

    client(packet(SftpType.STAT).u32(1).str("docs/../a.txt"));
    assertThat(asked).containsExactly(new SftpOperation("stat", "/home/u/a.txt", null, "read", null));
  }

  @Test
  void aWriteOnAHandleOpenedForReadIsRefused() throws IOException {
    start();
    client(packet(SftpType.OPEN).u32(1).str("/srv/a").u32(0x1).u32(0));
    target(packet(SftpType.HANDLE).u32(1).str("h1"));
    toTarget.reset();
    replies();

    client(packet(SftpType.WRITE).u32(2).str("h1").u64(0).str("data"));
    assertThat(toTarget.size()).as("the write never reaches the target").isZero();
    assertThat(statusOf(toClient.toByteArray())).isEqualTo(new SftpServerMessage.Status(2, 3));
    assertThat(text(toClient)).contains("sftp: write on a handle opened for read only");
    assertThat(refusedLocally).containsExactly("sftp: write on a handle opened for read only");
    toClient.reset();

    byte[] read = packet(SftpType.READ).u32(3).str("h1").u64(0).u32(100).frame();
    client(read);
    assertThat(toTarget.toByteArray()).isEqualTo(read);
    assertThat(asked).hasSize(1); // the open only: handle requests are not asked
  }

  @Test
  void requestsOnHandlesNeverGrantedAreRefused() throws IOException {
    start();
    client(packet(SftpType.READ).u32(2).str("guess").u64(0).u32(10));
    client(packet(SftpType.CLOSE).u32(3).str("guess"));
    client(packet(SftpType.EXTENDED).u32(4).str("fsync@openssh.com").str("guess"));
    assertThat(toTarget.size()).isZero();
    assertThat(replies()).containsExactly(new SftpServerMessage.Status(2, 3),
        new SftpServerMessage.Status(3, 3), new SftpServerMessage.Status(4, 3));
  }

  @Test
  void aFailedOpenGrantsNothingAndAClosedHandleNothingMore() throws IOException {
    start();
    client(packet(SftpType.OPEN).u32(1).str("/srv/w").u32(0x1a).u32(0));
    target(packet(SftpType.STATUS).u32(1).u32(2).str("No such file").str(""));
    // A handle the server names later for that id is not the open's.
    target(packet(SftpType.HANDLE).u32(1).str("h9"));
    client(packet(SftpType.WRITE).u32(2).str("h9").u64(0).str("x"));
    assertThat(refusedLocally).hasSize(1);

    client(packet(SftpType.OPEN).u32(5).str("/srv/w").u32(0x1a).u32(0));
    target(packet(SftpType.HANDLE).u32(5).str("h5"));
    client(packet(SftpType.WRITE).u32(6).str("h5").u64(0).str("x"));
    client(packet(SftpType.CLOSE).u32(7).str("h5"));
    client(packet(SftpType.WRITE).u32(8).str("h5").u64(0).str("x"));
    assertThat(refusedLocally).hasSize(2);
    assertThat(refusedLocally.get(1)).isEqualTo("sftp: write on a handle the gateway did not see opened");
  }

  @Test
  void aDeniedPathOperationIsAnsweredWithThePolicysReasonAndNotForwarded() throws IOException {
    start();
    client(packet(SftpType.REMOVE).u32(9).str("/etc/passwd"));
    assertThat(toTarget.size()).isZero();
    assertThat(statusOf(toClient.toByteArray())).isEqualTo(new SftpServerMessage.Status(9, 3));
    assertThat(text(toClient)).contains("sftp: not here: /etc/passwd");
  }

  @Test
  void symlinkIsDecidedWithTheLinkAsItsPath() throws IOException {
    start();
    client(packet(SftpType.SYMLINK).u32(9).str("/etc/shadow").str("up/s"));
    assertThat(asked).containsExactly(new SftpOperation("symlink", "/home/u/up/s", "/etc/shadow", "write", null));
  }

  @Test
  void packetsSplitAnywhereAreDecidedWhole() throws IOException {
    start();
    byte[] open = packet(SftpType.OPEN).u32(1).str("/srv/a").u32(0x1).u32(0).frame();
    byte[] stat = packet(SftpType.STAT).u32(2).str("/srv/b").frame();
    byte[] both = concat(open, stat);
    for (byte b : both) {
      relay.fromClient(new byte[] {b}, 0, 1, toTarget, toClient);
    }
    assertThat(toTarget.toByteArray()).isEqualTo(both);
    assertThat(asked).extracting(SftpOperation::path).containsExactly("/srv/a", "/srv/b");
  }

  @Test
  void withoutAHomeRelativePathsAreRefused() throws IOException {
    client(packet(SftpType.INIT).u32(3));
    target(packet(SftpType.VERSION).u32(3));
    target(packet(SftpType.STATUS).u32(0xFFFFFFFFL).u32(4).str("failure").str(""));
    assertThat(replies()).singleElement().isInstanceOf(SftpServerMessage.Version.class);
    client(packet(SftpType.STAT).u32(1).str("a"));
    assertThat(statusOf(toClient.toByteArray())).isEqualTo(new SftpServerMessage.Status(1, 3));
    assertThat(asked).isEmpty();
  }

  @Test
  void malformedAndOversizedPacketsEndTheChannel() throws IOException {
    assertThatThrownBy(() -> client(packet(SftpType.STAT).u32(1).str("/a")))
        .isInstanceOf(IOException.class).hasMessageContaining("before SSH_FXP_INIT");
    SftpRelay other = new SftpRelay(decider, 64 * 1024);
    other.fromClient(packet(SftpType.INIT).u32(3).frame(), 0, 9, toTarget, toClient);
    byte[] huge = {0, 2, 0, 0};
    assertThatThrownBy(() -> other.fromClient(huge, 0, 4, toTarget, toClient))
        .isInstanceOf(IOException.class).hasMessageContaining("length: 131072 (expected: 1..65536)");
    other.closed();
    SftpRelay third = new SftpRelay(decider, 64 * 1024);
    byte[] init = packet(SftpType.INIT).u32(3).frame();
    third.fromClient(init, 0, init.length, toTarget, toClient);
    byte[] nul = packet(SftpType.REMOVE).u32(1).str("/srv/a\0/../../etc/passwd").frame();
    assertThatThrownBy(() -> third.fromClient(nul, 0, nul.length, toTarget, toClient))
        .isInstanceOf(IOException.class).hasMessageContaining("contains NUL");
    third.closed();
  }

  @Test
  void aServerSpeakingAnotherVersionEndsTheChannel() throws IOException {
    client(packet(SftpType.INIT).u32(6));
    assertThatThrownBy(() -> target(packet(SftpType.VERSION).u32(6)))
        .isInstanceOf(IOException.class).hasMessageContaining("version 6 (expected: 3)");
    assertThat(toClient.size()).isZero();
  }

  @Test
  void aSecondRequestUnderTheIdOfAnOpenInFlightIsRefused() throws IOException {
    start();
    client(packet(SftpType.OPEN).u32(5).str("/srv/files/a").u32(0x1).u32(0));
    client(packet(SftpType.OPEN).u32(5).str("/srv/upload/b").u32(0x1a).u32(0));
    assertThat(asked).hasSize(1);
    assertThat(replies()).containsExactly(new SftpServerMessage.Status(5, 3));
    target(packet(SftpType.HANDLE).u32(5).str("hA"));
    replies();
    client(packet(SftpType.FSETSTAT).u32(6).str("hA").u32(0x4).u32(0777));
    assertThat(replies()).as("the read-only handle grants no fsetstat")
        .containsExactly(new SftpServerMessage.Status(6, 3));
  }

  @Test
  void aDecisionThatEndsTheSessionEndsTheChannelAfterItsRefusal() throws IOException {
    start();
    allows = op -> {
      ended = true;
      return false;
    };
    assertThatThrownBy(() -> client(packet(SftpType.STAT).u32(4).str("/srv/a")))
        .isInstanceOf(IOException.class).hasMessageContaining("the policy ended this session");
    assertThat(statusOf(toClient.toByteArray())).isEqualTo(new SftpServerMessage.Status(4, 3));
    assertThat(toTarget.size()).isZero();
  }

  // Plumbing.

  private void start() throws IOException {
    client(packet(SftpType.INIT).u32(3));
    target(packet(SftpType.VERSION).u32(3));
    target(packet(SftpType.NAME).u32(0xFFFFFFFFL).u32(1).str("/home/u").str("").u32(0));
    toTarget.reset();
    toClient.reset();
  }

  private void client(Packet p) throws IOException {
    client(p.frame());
  }

  private void client(byte[] frame) throws IOException {
    relay.fromClient(frame, 0, frame.length, toTarget, toClient);
  }

  private void target(Packet p) throws IOException {
    byte[] frame = p.frame();
    relay.fromTarget(frame, 0, frame.length, toClient);
  }

  /** Decodes and forgets what the client was sent. */
  private List<SftpServerMessage> replies() {
    List<SftpServerMessage> out = new ArrayList<>();
    try (SftpFrameDecoder d = new SftpFrameDecoder(1 << 20, UnpooledByteBufAllocator.DEFAULT)) {
      List<SftpFrame> frames = new ArrayList<>();
      ByteBuf in = Unpooled.wrappedBuffer(toClient.toByteArray());
      d.decode(in, frames);
      for (SftpFrame f : frames) {
        out.add(SftpServerMessages.decode(f));
        f.release();
      }
    }
    toClient.reset();
    return out;
  }

  private static SftpServerMessage statusOf(byte[] bytes) {
    SftpFrame f = new SftpFrame(Unpooled.wrappedBuffer(bytes));
    try {
      return SftpServerMessages.decode(f);
    } finally {
      f.release();
    }
  }

  private static String text(ByteArrayOutputStream out) {
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static Packet packet(int type) {
    return new Packet(type);
  }

  /** An SFTP packet built field by field. */
  private static final class Packet {
    private final ByteBuf body = Unpooled.buffer();

    Packet(int type) {
      body.writeByte(type);
    }

    Packet u32(long v) {
      body.writeInt((int) v);
      return this;
    }

    Packet u64(long v) {
      body.writeLong(v);
      return this;
    }

    Packet str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      body.writeInt(b.length).writeBytes(b);
      return this;
    }

    byte[] frame() {
      byte[] out = new byte[4 + body.readableBytes()];
      Unpooled.wrappedBuffer(out).setInt(0, body.readableBytes()).setBytes(4, body, body.readerIndex(),
          body.readableBytes());
      return out;
    }
  }
}
