package io.portcullis.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A policy raised an alert on a request (the decision's {@code alerts}). The request's own record
 * lists the alert too; this one stands alone for searches and carries the numbers behind it.
 *
 * @param sessionId the session
 * @param requestNo the request's number within the session
 * @param alert the alert's name ({@code bulk_read}, {@code rate_spike}, ...)
 * @param subject the identity's subject
 * @param issuer the identity's issuer, or null
 * @param target the target
 * @param request the request as normalised text, every literal a {@code ?}, or null
 * @param allowed whether the request was allowed
 * @param stats the activity the policy saw ({@code input.context.stats}), or null
 * @param suppressed how many times the same alert was raised for this identity and target since
 *     the last one recorded, and not recorded on its own
 * @param decisionId OPA's decision id, or null
 */
public record AlertRaised(
    String sessionId,
    long requestNo,
    String alert,
    String subject,
    String issuer,
    String target,
    String request,
    boolean allowed,
    JsonNode stats,
    long suppressed,
    String decisionId)
    implements AuditEvent {

  public AlertRaised {
    requireNonNull(sessionId, "sessionId");
    requireNonNull(alert, "alert");
    requireNonNull(subject, "subject");
    requireNonNull(target, "target");
  }
}
