package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.CharsetUtil;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes the protocol's {@code String} type: UTF-8 bytes terminated by one NUL byte.
 *
 * <p>Decoding is strict (malformed UTF-8, overlong forms and encoded surrogates are rejected, as
 * the server's own encoding check does) so the gateway never reads SQL differently from the server.
 */
public final class PgStrings {

  private PgStrings() {}

  /**
   * Reads one NUL-terminated string at the reader index and moves the reader index past the NUL.
   *
   * @param maxBytes the most UTF-8 bytes the string may have, not counting the NUL
   * @throws PgProtocolException if the NUL is missing, the string is too long or not UTF-8
   */
  public static String read(ByteBuf in, int maxBytes) {
    requireNonNull(in, "in");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 0)");
    }
    int start = in.readerIndex();
    int searchEnd = start + (int) Math.min(in.readableBytes(), maxBytes + 1L);
    int nul = in.indexOf(start, searchEnd, (byte) 0);
    if (nul < 0) {
      if (in.readableBytes() > maxBytes) {
        throw new PgProtocolException(
            "string length: > " + maxBytes + " (expected: <= " + maxBytes + ")");
      }
      throw new PgProtocolException("missing NUL terminator");
    }
    String value = decodeUtf8(in, start, nul - start);
    in.readerIndex(nul + 1);
    return value;
  }

  /**
   * Writes {@code value} as UTF-8 followed by a NUL.
   *
   * @throws IllegalArgumentException if {@code value} contains a NUL or an unpaired surrogate
   */
  public static void write(ByteBuf out, String value) {
    requireNonNull(out, "out");
    check(value, "value");
    ByteBufUtil.writeUtf8(out, value);
    out.writeByte(0);
  }

  /** The number of bytes {@link #write} writes for {@code value}, including the NUL. */
  public static int encodedLength(String value) {
    return ByteBufUtil.utf8Bytes(value) + 1;
  }

  /**
   * Returns {@code value} if it can be written as a protocol string.
   *
   * @throws IllegalArgumentException if it contains a NUL (which would end it early on the wire)
   *     or an unpaired surrogate (which has no UTF-8 form)
   */
  public static String check(String value, String name) {
    requireNonNull(value, name);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0) {
        throw new IllegalArgumentException(name + ": NUL at index " + i + " (expected: none)");
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(name + ": unpaired surrogate at index " + i);
      }
    }
    return value;
  }

  /**
   * Decodes {@code length} bytes at the absolute {@code index} as strict UTF-8.
   *
   * @throws PgProtocolException if they are not valid UTF-8
   */
  public static String decodeUtf8(ByteBuf in, int index, int length) {
    if (isAscii(in, index, length)) {
      return in.toString(index, length, StandardCharsets.US_ASCII);
    }
    try {
      return CharsetUtil.decoder(
              StandardCharsets.UTF_8, CodingErrorAction.REPORT, CodingErrorAction.REPORT)
          .decode(in.nioBuffer(index, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new PgProtocolException("invalid UTF-8 in string");
    }
  }

  private static boolean isAscii(ByteBuf in, int index, int length) {
    return in.forEachByte(index, length, b -> b >= 0) == -1;
  }
}
