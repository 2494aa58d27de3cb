package io.portcullis.mask;

import java.nio.charset.StandardCharsets;

/**
 * Masks text values one at a time under a {@link ColumnMask}: a whole value by its strategy, or
 * the pattern matches inside it. For values that are not table cells, such as the strings of a
 * JSON document. Not thread-safe: it reuses its scratch space and HMAC instance.
 */
public final class TextMasker {

  /** What became of a value. */
  public sealed interface Result {}

  /** The value is unchanged. */
  public record Unchanged() implements Result {}

  /** The value is to be dropped (strategy {@code null}: the value becomes null). */
  public record Nulled() implements Result {}

  /** The value is replaced by {@code text}. */
  public record Replaced(String text) implements Result {}

  private static final Result UNCHANGED = new Unchanged();
  private static final Result NULLED = new Nulled();

  private final ValueMasker masker;
  private final ByteSink sink = new ByteSink();
  private long masked;

  /**
   * @param needsHash whether any mask uses the {@code hash} strategy
   * @param hmacKey the key for {@code hash} (at least 16 bytes), or null when no mask hashes
   */
  public TextMasker(boolean needsHash, byte[] hmacKey) {
    this.masker = new ValueMasker(needsHash, hmacKey);
  }

  /** Whether {@code mask} uses the {@code hash} strategy anywhere. */
  public static boolean usesHash(ColumnMask mask) {
    return CompiledColumn.usesHash(mask);
  }

  /** Masks {@code value} under {@code mask}. */
  public Result mask(String value, ColumnMask mask) {
    if (mask.isNone()) {
      return UNCHANGED;
    }
    CompiledColumn column = CompiledColumn.of(mask, TextTypes.TEXT, 0);
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    sink.clear();
    int result = masker.mask(bytes, 0, bytes.length, column, sink);
    return switch (result) {
      case ValueMasker.PASS -> UNCHANGED;
      case ValueMasker.NULL -> {
        masked++;
        yield NULLED;
      }
      default -> {
        masked++;
        yield new Replaced(new String(sink.array(), 0, sink.length(), StandardCharsets.UTF_8));
      }
    };
  }

  /** How many values were masked so far. */
  public long maskedValues() {
    return masked;
  }
}
