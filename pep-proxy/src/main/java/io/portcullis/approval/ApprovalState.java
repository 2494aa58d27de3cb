package io.portcullis.approval;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where an approval request stands. Every state but {@link #PENDING} is terminal: once left,
 * pending is never entered again and a terminal state never changes.
 */
public enum ApprovalState {
  /** Waiting for an approver. */
  PENDING,
  /** An approver let the held request go on. */
  APPROVED,
  /** An approver refused the held request. */
  DENIED,
  /** Nobody decided before the request's expiry. */
  EXPIRED,
  /** The holder went away (client disconnected, gateway restarted) before a decision. */
  CANCELLED;

  /** Whether this state is final. */
  public boolean terminal() {
    return this != PENDING;
  }

  /** The lower-case name used in JSON, URLs and the CLI. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The state with this lower-case (or upper-case) name.
   *
   * @throws IllegalArgumentException naming the expected values
   */
  @JsonCreator
  public static ApprovalState parse(String name) {
    for (ApprovalState state : values()) {
      if (state.name().equalsIgnoreCase(name)) {
        return state;
      }
    }
    throw new IllegalArgumentException(
        "state: " + name + " (expected: pending, approved, denied, expired or cancelled)");
  }
}
