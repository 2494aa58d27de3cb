package io.portcullis.mask;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The masking plan for one result column: a column rule, pattern rules, both, or neither.
 *
 * <p>A column rule replaces the whole value and takes precedence over pattern rules. Pattern rules
 * replace each match inside a textual value with that pattern's strategy; where matches of
 * different patterns overlap, the stricter strategy covers their union.
 *
 * @param strategy the column rule's strategy, or null for no column rule
 * @param patterns the patterns to look for and the strategy for each (unmodifiable copy)
 */
public record ColumnMask(MaskStrategy strategy, Map<DataPattern, MaskStrategy> patterns) {

  /** No masking: values pass through untouched. */
  public static final ColumnMask NONE = new ColumnMask(null, Map.of());

  public ColumnMask {
    requireNonNull(patterns, "patterns");
    EnumMap<DataPattern, MaskStrategy> copy = new EnumMap<>(DataPattern.class);
    patterns.forEach(
        (p, s) -> copy.put(requireNonNull(p, "pattern"), requireNonNull(s, "pattern strategy")));
    patterns = Collections.unmodifiableMap(copy);
  }

  /** A column rule alone. */
  public static ColumnMask column(MaskStrategy strategy) {
    return new ColumnMask(requireNonNull(strategy, "strategy"), Map.of());
  }

  /** Pattern rules alone, all with one strategy. */
  public static ColumnMask patterns(Set<DataPattern> patterns, MaskStrategy strategy) {
    requireNonNull(strategy, "strategy");
    EnumMap<DataPattern, MaskStrategy> map = new EnumMap<>(DataPattern.class);
    for (DataPattern p : requireNonNull(patterns, "patterns")) {
      map.put(p, strategy);
    }
    return new ColumnMask(null, map);
  }

  /** Whether values of this column pass through untouched. */
  public boolean isNone() {
    return strategy == null && patterns.isEmpty();
  }

  /** This plan and another for the same column together, the stricter strategy where both apply. */
  public ColumnMask merge(ColumnMask other) {
    requireNonNull(other, "other");
    EnumMap<DataPattern, MaskStrategy> map = new EnumMap<>(DataPattern.class);
    map.putAll(patterns);
    other.patterns.forEach((p, s) -> map.merge(p, s, MaskStrategy::stricter));
    return new ColumnMask(MaskStrategy.stricter(strategy, other.strategy), map);
  }
}
