package io.portcullis.approval;

import io.portcullis.document.Identity;
import java.util.List;
import java.util.Objects;

/** Who may decide an approval request: {@code group:G} and {@code user:S} entries. */
final class Approvers {

  private Approvers() {}

  /**
   * Checks the form of every entry.
   *
   * @throws IllegalArgumentException for an empty list or an entry of another form
   */
  static void check(List<String> approvers) {
    if (approvers.isEmpty()) {
      throw new IllegalArgumentException(
          "approvers: empty (expected: at least one group:NAME or user:SUBJECT)");
    }
    for (String entry : approvers) {
      if (entry == null || !(valid(entry, "group:") || valid(entry, "user:"))) {
        throw new IllegalArgumentException(
            "approvers: " + entry + " (expected: group:NAME or user:SUBJECT)");
      }
    }
  }

  private static boolean valid(String entry, String prefix) {
    return entry.startsWith(prefix) && entry.length() > prefix.length();
  }

  /** Whether the identity matches one of the entries: a member of the group, or the subject. */
  static boolean matches(List<String> approvers, Identity who) {
    for (String entry : approvers) {
      if (entry.startsWith("group:") && who.groups().contains(entry.substring(6))) {
        return true;
      }
      if (entry.startsWith("user:") && who.subject().equals(entry.substring(5))) {
        return true;
      }
    }
    return false;
  }

  /** Whether two identities are the same person: same issuer and same subject. */
  static boolean samePerson(Identity a, Identity b) {
    return a.subject().equals(b.subject()) && Objects.equals(a.issuer(), b.issuer());
  }
}
