package io.portcullis.policy;

import java.util.List;

/**
 * What a decision may be reused for: the same identity, target, database and statement (by
 * fingerprint or by exact text, as the decision's cache scope says).
 *
 * @param subject the identity's subject
 * @param groups the identity's groups (sorted here, so order does not matter)
 * @param target the target name
 * @param database the database on the target
 * @param fingerprint the statement fingerprint, or null
 * @param exactText the exact request text, or null
 */
public record CacheKey(String subject, List<String> groups, String target, String database,
    String fingerprint, String exactText) {

  public CacheKey {
    groups = groups == null ? List.of() : groups.stream().sorted().toList();
  }

  /** The key for a decision cached with scope {@code fingerprint}, or null when there is none. */
  String byFingerprint() {
    return fingerprint == null ? null : prefix() + "f\u0000" + fingerprint;
  }

  /** The key for a decision cached with scope {@code exact}, or null when there is none. */
  String byExactText() {
    return exactText == null ? null : prefix() + "e\u0000" + exactText;
  }

  private String prefix() {
    return subject + '\u0000' + String.join("\u0001", groups) + '\u0000' + target + '\u0000'
        + database + '\u0000';
  }
}
