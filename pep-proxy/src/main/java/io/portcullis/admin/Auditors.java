package io.portcullis.admin;

import static java.util.Objects.requireNonNull;

import io.portcullis.document.Identity;
import java.util.List;

/**
 * Who may read the audit log through the admin API: {@code group:NAME} (any member) and
 * {@code user:SUBJECT} entries, from {@code admin.auditors}. An empty list admits nobody.
 */
public final class Auditors {

  private final List<String> entries;

  /** The auditors named by {@code entries}, each {@code group:NAME} or {@code user:SUBJECT}. */
  public Auditors(List<String> entries) {
    this.entries = List.copyOf(requireNonNull(entries, "entries"));
    for (String entry : this.entries) {
      if (!valid(entry)) {
        throw new IllegalArgumentException(message(entry));
      }
    }
  }

  static void validate(List<String> entries, List<String> errors) {
    for (String entry : entries) {
      if (!valid(entry)) {
        errors.add(message(entry));
      }
    }
  }

  private static String message(String entry) {
    return "admin.auditors: " + entry + " (expected: group:NAME or user:SUBJECT)";
  }

  private static boolean valid(String entry) {
    return entry != null && (entry.startsWith("group:") && entry.length() > 6
        || entry.startsWith("user:") && entry.length() > 5);
  }

  /**
   * Lets {@code caller} through, or refuses.
   *
   * @throws AdminException 403 when the caller is not an auditor
   */
  void check(Identity caller) {
    for (String entry : entries) {
      if (entry.startsWith("group:") && caller.groups().contains(entry.substring(6))
          || entry.startsWith("user:") && caller.subject().equals(entry.substring(5))) {
        return;
      }
    }
    throw new AdminException(403, entries.isEmpty()
        ? "nobody may read the audit log through the admin API (admin.auditors is empty)"
        : caller.subject() + " may not read the audit log (expected: a member of admin.auditors)");
  }
}
