package io.portcullis.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.portcullis.document.SftpOperation;
import io.portcullis.protocol.sftp.SftpClientMessage;
import io.portcullis.protocol.sftp.SftpClientMessages;
import io.portcullis.protocol.sftp.SftpFrame;
import io.portcullis.protocol.sftp.SftpFrameDecoder;
import io.portcullis.protocol.sftp.SftpOperations;
import io.portcullis.protocol.sftp.SftpType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Coverage-guided fuzzing of an sftp channel's client side, through the relay, against a simulated
 * target that grants a handle to every OPEN and OPENDIR it receives.
 *
 * <p>Oracle, for any client bytes: the relay fails only with an IOException (a malformed packet
 * ends the channel); every packet that reaches the target decodes; every path operation that
 * reaches the target is one the decider was asked and allowed; READ reaches the target only on a
 * handle opened for reading, WRITE and FSETSTAT only on one opened for writing, READDIR only on a
 * directory handle, and nothing on a handle the target never issued or that was closed.
 *
 * <p>The first input byte chooses how the rest is split into reads (1 to 63 bytes, or one piece).
 */
class SftpRelayFuzzTest {

  private static final String HOME = "/home/u";

  @FuzzTest(maxDuration = "10m")
  void clientBytes(byte[] data) throws IOException {
    if (data.length < 1) {
      return;
    }
    int chunk = (data[0] & 0x3F) == 0 ? Integer.MAX_VALUE : data[0] & 0x3F;
    Run run = new Run();
    try {
      run.handshake();
      for (int i = 1, end; i < data.length; i = end) {
        end = (int) Math.min(data.length, (long) i + chunk);
        try {
          run.relay.fromClient(Arrays.copyOfRange(data, i, end), 0, end - i, run.toTarget, run.toClient);
        } catch (IOException e) {
          return; // the channel ends
        } finally {
          run.target();
        }
      }
    } finally {
      run.relay.closed();
      run.framer.close();
    }
  }

  /** One channel: the relay, what it forwarded, and the simulated target's handles. */
  private static final class Run {
    final Set<SftpOperation> allowed = new HashSet<>();
    final SftpDecider decider = new SftpDecider() {
      @Override
      public String decide(SftpOperation op) {
        boolean ok = op.path() == null ? !"evil".equals(op.extension()) : op.path().startsWith("/ok")
            && (op.targetPath() == null || op.targetPath().startsWith("/ok"));
        if (ok) {
          allowed.add(op);
        }
        return ok ? null : "no";
      }

      @Override
      public void refusedLocally(SftpOperation operation, String reason) {}

      @Override
      public String sessionId() {
        return "fuzz";
      }
    };
    final SftpRelay relay = new SftpRelay(decider, 4096);
    final ByteArrayOutputStream toTarget = new ByteArrayOutputStream();
    final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
    final SftpFrameDecoder framer = new SftpFrameDecoder(4096, UnpooledByteBufAllocator.DEFAULT);
    /** Handles the target issued and not closed, with the open that produced them. */
    final Map<String, SftpClientMessage> handles = new HashMap<>();
    int next;

    void handshake() throws IOException {
      byte[] init = frame(SftpType.INIT, buf -> buf.writeInt(3));
      relay.fromClient(init, 0, init.length, toTarget, toClient);
      toTarget.reset();
      reply(frame(SftpType.VERSION, buf -> buf.writeInt(3)));
      reply(frame(SftpType.NAME, buf -> {
        buf.writeInt(-1).writeInt(1);
        str(buf, HOME);
        str(buf, "");
        buf.writeInt(0);
      }));
    }

    /** Checks what reached the target, and answers it as a server would. */
    void target() throws IOException {
      List<SftpFrame> frames = new ArrayList<>();
      ByteBuf in = Unpooled.wrappedBuffer(toTarget.toByteArray());
      toTarget.reset();
      framer.decode(in, frames);
      for (SftpFrame f : frames) {
        try {
          check(SftpClientMessages.decode(f));
        } finally {
          f.release();
        }
      }
    }

    private void check(SftpClientMessage m) throws IOException {
      long id = m.requestId();
      switch (m) {
        case SftpClientMessage.Read r -> assertThat(grant(r.handle())).isInstanceOfSatisfying(
            SftpClientMessage.Open.class, o -> assertThat(o.read()).isTrue());
        case SftpClientMessage.Write w -> assertThat(grant(w.handle())).isInstanceOfSatisfying(
            SftpClientMessage.Open.class, o -> assertThat(o.write()).isTrue());
        case SftpClientMessage.HandleRequest h -> {
          SftpClientMessage g = grant(h.handle());
          if (h.type() == SftpType.FSETSTAT) {
            assertThat(g).isInstanceOfSatisfying(SftpClientMessage.Open.class, o -> assertThat(o.write()).isTrue());
          } else if (h.type() == SftpType.READDIR) {
            assertThat(g).isInstanceOf(SftpClientMessage.PathRequest.class);
          } else if (h.type() == SftpType.CLOSE) {
            handles.remove(h.handle());
          }
        }
        case SftpClientMessage.Extended e when e.handle() != null -> {
          grant(e.handle());
          if (e.writeHandle() != null) {
            assertThat(grant(e.writeHandle())).isInstanceOfSatisfying(SftpClientMessage.Open.class,
                o -> assertThat(o.write()).isTrue());
          }
        }
        case SftpClientMessage.Init i -> throw new AssertionError("a second INIT was forwarded");
        case SftpClientMessage.Unknown u -> throw new AssertionError("an unknown packet was forwarded: " + u);
        default -> {
          SftpOperation op = SftpOperations.of(m, HOME).orElseThrow();
          assertThat(allowed).as("forwarded without an allow").contains(op);
        }
      }
      boolean opens = m instanceof SftpClientMessage.Open
          || m instanceof SftpClientMessage.PathRequest p && p.type() == SftpType.OPENDIR;
      if (opens) {
        String handle = "h" + next++;
        handles.put(handle, m);
        reply(frame(SftpType.HANDLE, buf -> {
          buf.writeInt((int) id);
          str(buf, handle);
        }));
      } else {
        reply(frame(SftpType.STATUS, buf -> {
          buf.writeInt((int) id).writeInt(0);
          str(buf, "ok");
          str(buf, "");
        }));
      }
    }

    private SftpClientMessage grant(String handle) {
      SftpClientMessage open = handles.get(handle);
      assertThat(open).as("a request on handle %s, which the target never issued or closed", handle)
          .isNotNull();
      return open;
    }

    private void reply(byte[] frame) throws IOException {
      relay.fromTarget(frame, 0, frame.length, toClient);
      toClient.reset();
    }
  }

  private static byte[] frame(int type, java.util.function.Consumer<ByteBuf> body) {
    ByteBuf buf = Unpooled.buffer();
    buf.writeInt(0).writeByte(type);
    body.accept(buf);
    buf.setInt(0, buf.readableBytes() - 4);
    byte[] out = new byte[buf.readableBytes()];
    buf.readBytes(out);
    buf.release();
    return out;
  }

  private static void str(ByteBuf buf, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    buf.writeInt(b.length).writeBytes(b);
  }
}
