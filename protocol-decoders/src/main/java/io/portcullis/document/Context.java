package io.portcullis.document;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Volatile facts about a request. A policy that reads any of these must not mark its decision
 * cacheable.
 *
 * @param now when the gateway built the document
 * @param stats recent activity of the identity, or null when the gateway does not track it
 * @param approval a granted approval for this request, or null
 */
public record Context(Instant now, Stats stats, GrantedApproval approval) {

  public Context {
    requireNonNull(now, "now");
  }

  /** A context with only the current time. */
  public static Context at(Instant now) {
    return new Context(now, null, null);
  }

  /** The same context, carrying an approval a person granted for this very request. */
  public Context withApproval(GrantedApproval granted) {
    return new Context(now, stats, granted);
  }

  /**
   * An approval a person granted for this request, for policies that re-check it.
   *
   * @param id the approval's id ({@code apr_...})
   * @param state always {@code approved}
   * @param approvedBy the approver's subject
   * @param approvedAt when it was approved
   * @param comment the approver's comment, or null
   */
  public record GrantedApproval(String id, String state, String approvedBy, Instant approvedAt,
      String comment) {
    public GrantedApproval {
      requireNonNull(id, "id");
      requireNonNull(state, "state");
      requireNonNull(approvedBy, "approvedBy");
      requireNonNull(approvedAt, "approvedAt");
    }
  }

  /**
   * Recent activity of the requesting identity.
   *
   * @param requestsLastMinute requests decided in the last minute
   * @param rowsReturnedLastMinute rows returned in the last minute
   */
  public record Stats(long requestsLastMinute, long rowsReturnedLastMinute) {}
}
