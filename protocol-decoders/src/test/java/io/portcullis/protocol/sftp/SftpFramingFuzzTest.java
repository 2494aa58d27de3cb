package io.portcullis.protocol.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.portcullis.protocol.pg.CountingAllocator;
import io.portcullis.protocol.pg.LeakCheck;
import io.portcullis.protocol.sftp.SftpClientMessage.Extended;
import io.portcullis.protocol.sftp.SftpClientMessage.Link;
import io.portcullis.protocol.sftp.SftpClientMessage.Open;
import io.portcullis.protocol.sftp.SftpClientMessage.PathRequest;
import io.portcullis.protocol.sftp.SftpClientMessage.Rename;
import io.portcullis.protocol.sftp.SftpClientMessage.Symlink;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Coverage-guided fuzzing of the SFTP framer and decoders as the gateway drives them: bytes in
 * pieces through {@link SftpFrameDecoder}, each frame through {@link SftpClientMessages} (or
 * {@link SftpServerMessages}), and each decoded path through {@link SftpPaths}.
 *
 * <p>Oracle, for any input: the only failure is an {@link SftpProtocolException}; no allocation
 * exceeds the framer's limit plus its length field; the frames, concatenated, are exactly the
 * input bytes the framer consumed before any error (what is decided is what is forwarded); every
 * normalised path is absolute with no {@code .}, {@code ..} or empty component; and every buffer is
 * released. Inputs are bounded by the fuzzer's length limit and the decoders loop only over bytes
 * they have, so a run cannot hang.
 *
 * <p>The first input byte chooses how the rest is split into reads (1 to 63 bytes, or one piece);
 * the second chooses the framer's limit.
 */
@ExtendWith(LeakCheck.class)
class SftpFramingFuzzTest {

  /** Client-to-server bytes: requests. */
  @FuzzTest(maxDuration = "10m")
  void clientStream(byte[] data) {
    run(data, frame -> checkClient(SftpClientMessages.decode(frame)));
  }

  /** Server-to-client bytes: replies. */
  @FuzzTest(maxDuration = "10m")
  void serverStream(byte[] data) {
    run(data, frame -> SftpServerMessages.decode(frame));
  }

  private static void run(byte[] data, Consumer<SftpFrame> decode) {
    if (data.length < 2) {
      return;
    }
    int chunk = (data[0] & 0x3F) == 0 ? Integer.MAX_VALUE : data[0] & 0x3F;
    int limit = (data[1] & 0xFF) < 0x80 ? 5 + (data[1] & 0x7F) * 8 : SftpFrameDecoder.OPENSSH_MAX_LENGTH;
    byte[] stream = Arrays.copyOfRange(data, 2, data.length);
    CountingAllocator alloc = new CountingAllocator();
    SftpFrameDecoder decoder = new SftpFrameDecoder(limit, alloc);
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    int consumed = 0;
    boolean failed = false;
    try {
      for (int i = 0; i < stream.length && !failed; i += chunk) {
        int end = Math.min(stream.length, i + chunk);
        ByteBuf in = Unpooled.wrappedBuffer(stream, i, end - i);
        List<SftpFrame> frames = new ArrayList<>();
        try {
          decoder.decode(in, frames);
          consumed = end;
        } catch (SftpProtocolException e) {
          failed = true;
          consumed = i + in.readerIndex();
        } finally {
          in.release();
        }
        for (SftpFrame frame : frames) {
          try {
            framed.writeBytes(ByteBufUtil.getBytes(frame.frame()));
            decode.accept(frame);
          } catch (SftpProtocolException e) {
            // a malformed packet: the gateway closes the channel
          } finally {
            frame.release();
          }
        }
        assertThat(alloc.largest()).as("largest allocation").isLessThanOrEqualTo(limit + 4);
      }
      byte[] expected = Arrays.copyOf(stream, consumed - (failed ? 4 : decoder.bufferedBytes()));
      assertThat(framed.toByteArray()).as("frames are the input").isEqualTo(expected);
    } finally {
      decoder.close();
    }
  }

  private static void checkClient(SftpClientMessage message) {
    switch (message) {
      case Open o -> checkPath(o.path());
      case PathRequest p -> checkPath(p.path());
      case Rename r -> {
        checkPath(r.oldPath());
        checkPath(r.newPath());
      }
      case Symlink s -> {
        checkPath(s.linkPath());
        checkPath(s.targetPath());
      }
      case Link l -> {
        checkPath(l.newPath());
        checkPath(l.existingPath());
      }
      case Extended e -> {
        if (e.path() != null) {
          checkPath(e.path());
        }
        if (e.targetPath() != null) {
          checkPath(e.targetPath());
        }
      }
      default -> {
      }
    }
  }

  private static void checkPath(String raw) {
    String path = SftpPaths.normalize(raw, "/home/u");
    assertThat(path).startsWith("/");
    if (!path.equals("/")) {
      assertThat(path).doesNotEndWith("/");
      for (String part : path.substring(1).split("/", -1)) {
        assertThat(part).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..");
      }
    }
  }
}
