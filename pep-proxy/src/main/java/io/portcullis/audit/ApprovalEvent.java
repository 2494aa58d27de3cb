package io.portcullis.audit;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Something happened to an approval request: created, approved, denied, expired or cancelled.
 *
 * @param sessionId the session whose request is held
 * @param requestNo the held request's number, or 0 when unknown
 * @param approvalId the approval request's id
 * @param action {@code created}, {@code approved}, {@code denied}, {@code expired} or
 *     {@code cancelled}
 * @param actor who acted ({@code user:alice}), or null for the gateway itself
 * @param approvers who may approve
 * @param reason why approval is needed, or why it was denied
 */
public record ApprovalEvent(
    String sessionId,
    long requestNo,
    String approvalId,
    String action,
    String actor,
    List<String> approvers,
    String reason)
    implements AuditEvent {

  public ApprovalEvent {
    requireNonNull(sessionId, "sessionId");
    requireNonNull(approvalId, "approvalId");
    requireNonNull(action, "action");
    approvers = approvers == null ? List.of() : List.copyOf(approvers);
  }
}
