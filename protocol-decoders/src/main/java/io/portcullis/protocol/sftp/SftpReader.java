package io.portcullis.protocol.sftp;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A strict cursor over one SFTP payload, after its type byte.
 *
 * <p>It reads with absolute gets, so the frame's reader index never moves, and every error names
 * the packet and the field being read. Lengths are checked against the bytes left before anything
 * is allocated for them.
 */
final class SftpReader {

  /** The longest handle the protocol allows (draft-02, section 6.2). */
  static final int MAX_HANDLE_BYTES = 256;

  private final ByteBuf buf;
  private final String packet;
  private final int end;
  private int index;

  /** Reads {@code payload} from just after its type byte. */
  SftpReader(ByteBuf payload, String packet) {
    this.buf = requireNonNull(payload, "payload");
    this.packet = packet;
    this.index = payload.readerIndex() + 1;
    this.end = payload.writerIndex();
  }

  int remaining() {
    return end - index;
  }

  int readUint8(String what) {
    need(1, what);
    return buf.getUnsignedByte(index++);
  }

  long readUint32(String what) {
    need(4, what);
    long value = buf.getUnsignedInt(index);
    index += 4;
    return value;
  }

  long readUint64(String what) {
    need(8, what);
    long value = buf.getLong(index);
    index += 8;
    return value;
  }

  /** Skips an SSH string (uint32 length, then bytes) and returns its length. */
  int skipString(String what) {
    int length = stringLength(what);
    index += length;
    return length;
  }

  /** Reads a string that names a file: valid UTF-8 with no NUL. */
  String readPath(String what) {
    int length = stringLength(what);
    for (int i = index; i < index + length; i++) {
      if (buf.getByte(i) == 0) {
        throw error(what + ": contains NUL (expected: none)");
      }
    }
    String value = utf8(length, what);
    index += length;
    return value;
  }

  /** Reads a UTF-8 string such as an extension name (NUL is refused as for paths). */
  String readText(String what) {
    return readPath(what);
  }

  /** Reads a handle: at most 256 bytes, returned one char per byte (ISO-8859-1), lossless. */
  String readHandle(String what) {
    int length = stringLength(what);
    if (length > MAX_HANDLE_BYTES) {
      throw error(what + " length: " + length + " (expected: <= " + MAX_HANDLE_BYTES + ")");
    }
    String value = buf.toString(index, length, StandardCharsets.ISO_8859_1);
    index += length;
    return value;
  }

  /** Reads and validates an ATTRS structure of version 3, keeping nothing of it. */
  void skipAttrs(String what) {
    long flags = readUint32(what + " flags");
    if ((flags & ~0x8000000FL) != 0) {
      throw error(what + " flags: 0x" + Long.toHexString(flags) + " (expected: bits of 0x8000000f)");
    }
    if ((flags & 0x1) != 0) {
      readUint64(what + " size");
    }
    if ((flags & 0x2) != 0) {
      readUint32(what + " uid");
      readUint32(what + " gid");
    }
    if ((flags & 0x4) != 0) {
      readUint32(what + " permissions");
    }
    if ((flags & 0x8) != 0) {
      readUint32(what + " atime");
      readUint32(what + " mtime");
    }
    if ((flags & 0x80000000L) != 0) {
      long count = readUint32(what + " extended count");
      if (count > remaining() / 8) {
        throw error(what + " extended count: " + count + " (expected: <= " + remaining() / 8 + ")");
      }
      for (long i = 0; i < count; i++) {
        skipString(what + " extended type");
        skipString(what + " extended data");
      }
    }
  }

  /** Checks that the payload was consumed exactly. */
  void expectEnd() {
    if (index != end) {
      throw error("trailing bytes: " + (end - index) + " (expected: 0)");
    }
  }

  SftpProtocolException error(String detail) {
    return new SftpProtocolException(packet + ": " + detail);
  }

  private int stringLength(String what) {
    long length = readUint32(what + " length");
    if (length > remaining()) {
      throw error(what + " length: " + length + " (expected: <= " + remaining() + ")");
    }
    return (int) length;
  }

  private String utf8(int length, String what) {
    ByteBuffer bytes = buf.nioBuffer(index, length);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw error(what + ": invalid UTF-8 (expected: UTF-8)");
    }
  }

  private void need(int bytes, String what) {
    if (remaining() < bytes) {
      throw error(what + ": " + remaining() + " bytes left (expected: >= " + bytes + ")");
    }
  }
}
