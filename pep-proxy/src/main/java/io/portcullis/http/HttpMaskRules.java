package io.portcullis.http;

import io.portcullis.mask.ColumnMask;
import io.portcullis.mask.DataPattern;
import io.portcullis.mask.MaskStrategy;
import io.portcullis.mask.TextMasker;
import io.portcullis.policy.Decision;
import java.util.ArrayList;
import java.util.List;

/**
 * The masking rules of one allowed HTTP request, checked once when the decision arrives.
 *
 * @param paths the rules by JSON path, in the decision's order
 * @param patterns the pattern rules together, applied to every string and number
 */
record HttpMaskRules(List<PathRule> paths, ColumnMask patterns) {

  /** No masking. */
  static final HttpMaskRules NONE = new HttpMaskRules(List.of(), ColumnMask.NONE);

  /**
   * One path rule.
   *
   * @param path the parsed path
   * @param strategy what the selected values become
   */
  record PathRule(HttpJsonPath path, MaskStrategy strategy) {}

  HttpMaskRules {
    paths = List.copyOf(paths);
  }

  /**
   * The rules of a decision.
   *
   * @throws IllegalArgumentException for a rule the gateway cannot apply to a JSON response (the
   *     request is then denied, never forwarded unmasked)
   */
  static HttpMaskRules of(Decision decision) {
    if (decision.mask().isEmpty()) {
      return NONE;
    }
    List<PathRule> paths = new ArrayList<>();
    ColumnMask patterns = ColumnMask.NONE;
    for (Decision.MaskRule rule : decision.mask()) {
      if (rule.strategy() == null) {
        throw new IllegalArgumentException("mask rule without a strategy");
      }
      MaskStrategy strategy = MaskStrategy.parse(rule.strategy());
      if (rule.path() != null) {
        paths.add(new PathRule(HttpJsonPath.parse(rule.path()), strategy));
      } else if (rule.pattern() != null) {
        patterns = patterns.merge(ColumnMask.patterns(DataPattern.parse(rule.pattern()), strategy));
      } else {
        throw new IllegalArgumentException("mask rule names neither json_path nor pattern"
            + " (table and column rules apply to PostgreSQL only)");
      }
    }
    return new HttpMaskRules(paths, patterns);
  }

  boolean isEmpty() {
    return paths.isEmpty() && patterns.isNone();
  }

  boolean usesHash() {
    return TextMasker.usesHash(patterns)
        || paths.stream().anyMatch(p -> p.strategy() == MaskStrategy.HASH);
  }
}
