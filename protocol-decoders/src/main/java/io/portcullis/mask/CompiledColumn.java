package io.portcullis.mask;

import java.util.Map;

/** One column's plan resolved against its type and format, once per result, for the hot loop. */
final class CompiledColumn {

  /** How a value that cannot be rewritten as text is scanned for patterns. */
  enum Render {
    /** Cannot hold a pattern: never scanned. */
    SKIP,
    /** Scanned as it is on the wire. */
    RAW,
    /** Binary int8, scanned as its decimal digits. */
    INT8,
    /** Binary numeric, scanned as its decimal digits. */
    NUMERIC
  }

  static final CompiledColumn NONE =
      new CompiledColumn(true, null, null, false, false, Render.SKIP);

  final boolean none;
  final MaskStrategy strategy;
  /** Strategy per {@link DataPattern} ordinal, null where the pattern is not wanted; null if none. */
  final MaskStrategy[] patterns;
  /** {@link PatternScanner#minLength} of {@link #patterns}: shorter values are not scanned. */
  final int minPatternLength;
  /** A textual type in text format: rewritten in place; otherwise a masked value becomes NULL. */
  final boolean rewritable;
  final boolean bpchar;
  final Render render;

  private CompiledColumn(
      boolean none,
      MaskStrategy strategy,
      MaskStrategy[] patterns,
      boolean rewritable,
      boolean bpchar,
      Render render) {
    this.none = none;
    this.strategy = strategy;
    this.patterns = patterns;
    this.minPatternLength = patterns == null ? Integer.MAX_VALUE : PatternScanner.minLength(patterns);
    this.rewritable = rewritable;
    this.bpchar = bpchar;
    this.render = render;
  }

  static CompiledColumn of(ColumnMask mask, int typeOid, int format) {
    if (mask.isNone()) {
      return NONE;
    }
    MaskStrategy[] patterns = null;
    if (mask.strategy() == null) {
      patterns = new MaskStrategy[DataPattern.values().length];
      for (Map.Entry<DataPattern, MaskStrategy> e : mask.patterns().entrySet()) {
        patterns[e.getKey().ordinal()] = e.getValue();
      }
    }
    boolean text = format == 0;
    Render render;
    if (text) {
      render = Render.RAW;
    } else if (typeOid == TextTypes.INT8) {
      render = Render.INT8;
    } else if (typeOid == TextTypes.NUMERIC) {
      render = Render.NUMERIC;
    } else {
      render = TextTypes.cannotHoldPattern(typeOid) ? Render.SKIP : Render.RAW;
    }
    return new CompiledColumn(
        false,
        mask.strategy(),
        patterns,
        text && TextTypes.isTextual(typeOid),
        typeOid == TextTypes.BPCHAR,
        render);
  }

  static boolean usesHash(ColumnMask mask) {
    return mask.strategy() == MaskStrategy.HASH || mask.patterns().containsValue(MaskStrategy.HASH);
  }
}
