package io.portcullis.mask;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Masks one value under one column's plan, shared by the DataRow and COPY maskers. Not thread-safe:
 * it reuses its scratch space and HMAC instance.
 */
final class ValueMasker {

  /** The value is unchanged. */
  static final int PASS = 0;
  /** The value becomes SQL NULL. */
  static final int NULL = 1;
  /** The value is replaced by the sink's bytes. */
  static final int REWRITE = 2;

  /** Shortest HMAC key accepted: 128 bits. */
  static final int MIN_KEY_BYTES = 16;

  private static final byte[] REDACTED = "[REDACTED]".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HMAC_PREFIX = "hmac:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final int HASH_HEX_DIGITS = 32;

  private final Matches matches = new Matches();
  private final Mac mac;
  private final byte[] digest = new byte[32];
  private byte[] rendered = new byte[64];

  /** {@code hmacKey} is required (at least 16 bytes) only when {@code needsHash}. */
  ValueMasker(boolean needsHash, byte[] hmacKey) {
    if (!needsHash) {
      mac = null;
      return;
    }
    requireNonNull(hmacKey, "hmacKey");
    if (hmacKey.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "hmacKey length: " + hmacKey.length + " (expected: >= " + MIN_KEY_BYTES + ")");
    }
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("hmacKey: rejected by HmacSHA256", e);
    }
  }

  /** Masks the non-NULL value {@code src[off, off+len)}: PASS, NULL, or REWRITE into {@code out}. */
  int mask(byte[] src, int off, int len, CompiledColumn col, ByteSink out) {
    int result = decide(src, off, len, col);
    if (result == REWRITE) {
      out.clear();
      write(src, off, len, col, out);
    }
    return result;
  }

  /**
   * What becomes of the non-NULL value {@code src[off, off+len)}: PASS, NULL or REWRITE. After a
   * REWRITE, {@link #write} appends the masked value: the matches found here are kept until then.
   */
  int decide(byte[] src, int off, int len, CompiledColumn col) {
    if (col.strategy != null) {
      return col.strategy == MaskStrategy.NULL || !col.rewritable ? NULL : REWRITE;
    }
    if (!col.rewritable) {
      return scanOther(src, off, len, col) ? NULL : PASS;
    }
    if (!PatternScanner.scan(src, off, off + len, col.patterns, col.minPatternLength, matches)) {
      return PASS;
    }
    return matches.anyNull() ? NULL : REWRITE;
  }

  /** Appends the masked form of the value that {@link #decide} has just called REWRITE. */
  void write(byte[] src, int off, int len, CompiledColumn col, ByteSink out) {
    if (col.strategy != null) {
      int end = off + len;
      if (col.bpchar) {
        // bpchar pads with spaces that PostgreSQL itself treats as insignificant.
        while (end > off && src[end - 1] == ' ') {
          end--;
        }
      }
      apply(col.strategy, src, off, end - off, out);
      return;
    }
    int p = off;
    for (int i = 0; i < matches.count(); i++) {
      int s = matches.start(i);
      out.write(src, p, s - p);
      apply(matches.strategy(i), src, s, matches.end(i) - s, out);
      p = matches.end(i);
    }
    out.write(src, p, off + len - p);
  }

  /** Whether a value that cannot be rewritten contains a pattern (so it must become NULL). */
  private boolean scanOther(byte[] src, int off, int len, CompiledColumn col) {
    return switch (col.render) {
      case SKIP -> false;
      case RAW -> PatternScanner.scan(src, off, off + len, col.patterns, col.minPatternLength, matches);
      case INT8 -> {
        int n = len == 8 ? BinaryNumbers.int8(src, off, rendered) : 0;
        yield PatternScanner.scan(rendered, 0, n, col.patterns, col.minPatternLength, matches);
      }
      case NUMERIC -> {
        rendered = BinaryNumbers.ensure(rendered, len);
        int n = BinaryNumbers.numeric(src, off, len, rendered);
        // A malformed numeric cannot be checked: fail closed.
        yield n < 0 || PatternScanner.scan(rendered, 0, n, col.patterns, col.minPatternLength, matches);
      }
    };
  }

  private void apply(MaskStrategy strategy, byte[] src, int off, int len, ByteSink out) {
    switch (strategy) {
      case REDACT -> out.write(REDACTED);
      case PARTIAL -> partial(src, off, len, out);
      case HASH -> hash(src, off, len, out);
      case NULL -> throw new IllegalStateException("NULL is applied to whole values");
    }
  }

  /** Code points, not bytes: UTF-8 continuation bytes (10xxxxxx) do not start a character. */
  private static void partial(byte[] src, int off, int len, ByteSink out) {
    int end = off + len;
    int chars = 0;
    for (int i = off; i < end; i++) {
      if ((src[i] & 0xC0) != 0x80) {
        chars++;
      }
    }
    int keepFrom = end;
    if (chars > 4) {
      int kept = 0;
      while (kept < 4) {
        keepFrom--;
        if ((src[keepFrom] & 0xC0) != 0x80) {
          kept++;
        }
      }
    }
    out.fill((byte) '*', chars > 4 ? chars - 4 : chars);
    out.write(src, keepFrom, end - keepFrom);
  }

  private void hash(byte[] src, int off, int len, ByteSink out) {
    mac.update(src, off, len);
    try {
      mac.doFinal(digest, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 output", e);
    }
    out.write(HMAC_PREFIX);
    for (int i = 0; i < HASH_HEX_DIGITS / 2; i++) {
      out.write(HEX[(digest[i] >> 4) & 0xF]);
      out.write(HEX[digest[i] & 0xF]);
    }
  }
}
