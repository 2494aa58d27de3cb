package io.portcullis.mask;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Masks data patterns in a byte stream (terminal or command output) that arrives in chunks of any
 * size. Complete lines are masked and released at once; the incomplete last line is held back,
 * so that a card number or key split across two chunks is still found, until its line ends, until
 * {@link #flush} (the caller's idle timer or the end of the stream), or until it reaches the hold
 * limit, when it is masked and released as it is. A match longer than a line (a PEM private key)
 * is found only in the line that holds its start. Not thread-safe.
 */
public final class StreamMasker {

  private final CompiledColumn column;
  private final ValueMasker masker;
  private final ByteSink sink = new ByteSink();
  private final int maxHold;
  private byte[] held = new byte[256];
  private int heldLength;
  private long masked;

  /**
   * @param patterns the patterns to mask and the strategy of each; not empty
   * @param hmacKey the key of the {@code hash} strategy (at least 16 bytes), or null when no pattern
   *     uses it
   * @param maxHold the most bytes of an incomplete line held back
   */
  public StreamMasker(Map<DataPattern, MaskStrategy> patterns, byte[] hmacKey, int maxHold) {
    requireNonNull(patterns, "patterns");
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("patterns: empty (expected: at least one)");
    }
    if (maxHold < 64) {
      throw new IllegalArgumentException("maxHold: " + maxHold + " (expected: >= 64)");
    }
    ColumnMask mask = new ColumnMask(null, patterns);
    this.column = CompiledColumn.of(mask, TextTypes.TEXT, 0);
    this.masker = new ValueMasker(CompiledColumn.usesHash(mask), hmacKey);
    this.maxHold = maxHold;
  }

  /** Takes {@code data[off, off+len)}; returns what may be released now, masked (maybe empty). */
  public byte[] feed(byte[] data, int off, int len) {
    int lastNewline = -1;
    for (int i = off + len - 1; i >= off; i--) {
      if (data[i] == '\n') {
        lastNewline = i;
        break;
      }
    }
    if (lastNewline < 0) {
      append(data, off, len);
      return heldLength > maxHold ? flush() : new byte[0];
    }
    append(data, off, lastNewline + 1 - off);
    byte[] out = flush();
    append(data, lastNewline + 1, off + len - lastNewline - 1);
    if (heldLength > maxHold) {
      byte[] more = flush();
      byte[] both = Arrays.copyOf(out, out.length + more.length);
      System.arraycopy(more, 0, both, out.length, more.length);
      return both;
    }
    return out;
  }

  /** Releases what is held, masked. */
  public byte[] flush() {
    if (heldLength == 0) {
      return new byte[0];
    }
    int result = masker.mask(held, 0, heldLength, column, sink);
    byte[] out;
    switch (result) {
      case ValueMasker.PASS -> out = Arrays.copyOf(held, heldLength);
      case ValueMasker.REWRITE -> {
        masked++;
        out = Arrays.copyOf(sink.array(), sink.length());
      }
      default -> {
        // A pattern whose strategy is null: the whole stretch goes.
        masked++;
        out = "[REDACTED]\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      }
    }
    heldLength = 0;
    return out;
  }

  /** Whether bytes are held back. */
  public boolean holding() {
    return heldLength > 0;
  }

  /** Stretches of output in which something was masked. */
  public long maskedCount() {
    return masked;
  }

  private void append(byte[] data, int off, int len) {
    if (len <= 0) {
      return;
    }
    if (held.length - heldLength < len) {
      held = Arrays.copyOf(held, Math.max(held.length * 2, heldLength + len));
    }
    System.arraycopy(data, off, held, heldLength, len);
    heldLength += len;
  }

  /** Masks a whole text at once (tests, small outputs). */
  public static String maskAll(Map<DataPattern, MaskStrategy> patterns, byte[] hmacKey, String text) {
    StreamMasker m = new StreamMasker(patterns, hmacKey, 1 << 20);
    byte[] in = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(m.feed(in, 0, in.length));
    out.writeBytes(m.flush());
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
