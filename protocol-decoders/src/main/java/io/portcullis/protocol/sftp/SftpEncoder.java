package io.portcullis.protocol.sftp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encodes the few SFTP packets the gateway writes itself, each as one whole frame. */
public final class SftpEncoder {

  private SftpEncoder() {
  }

  /** {@code SSH_FXP_STATUS}: request id, code, a UTF-8 message and a language tag. */
  public static ByteBuf status(ByteBufAllocator alloc, long id, int code, String message,
      String languageTag) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    byte[] lang = languageTag.getBytes(StandardCharsets.US_ASCII);
    ByteBuf out = alloc.buffer(4 + 1 + 4 + 4 + 4 + text.length + 4 + lang.length);
    out.writeInt(1 + 4 + 4 + 4 + text.length + 4 + lang.length);
    out.writeByte(SftpType.STATUS);
    out.writeInt((int) id);
    out.writeInt(code);
    out.writeInt(text.length).writeBytes(text);
    out.writeInt(lang.length).writeBytes(lang);
    return out;
  }

  /** {@code SSH_FXP_VERSION} with extension name and data pairs (names and data alternate). */
  public static ByteBuf version(ByteBufAllocator alloc, long version, List<String> pairs) {
    if (pairs.size() % 2 != 0) {
      throw new IllegalArgumentException("pairs: " + pairs.size() + " (expected: even)");
    }
    ByteBuf out = alloc.buffer();
    out.writeInt(0);
    out.writeByte(SftpType.VERSION);
    out.writeInt((int) version);
    for (String s : pairs) {
      writeString(out, s);
    }
    out.setInt(0, out.readableBytes() - 4);
    return out;
  }

  /** {@code SSH_FXP_INIT} with a version and no extensions. */
  public static ByteBuf init(ByteBufAllocator alloc, long version) {
    ByteBuf out = alloc.buffer(9);
    out.writeInt(5).writeByte(SftpType.INIT).writeInt((int) version);
    return out;
  }

  /** {@code SSH_FXP_REALPATH} of a path. */
  public static ByteBuf realpath(ByteBufAllocator alloc, long id, String path) {
    ByteBuf out = alloc.buffer();
    out.writeInt(0).writeByte(SftpType.REALPATH).writeInt((int) id);
    writeString(out, path);
    out.setInt(0, out.readableBytes() - 4);
    return out;
  }

  private static void writeString(ByteBuf out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length).writeBytes(bytes);
  }
}
