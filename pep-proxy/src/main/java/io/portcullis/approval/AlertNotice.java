package io.portcullis.approval;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * An alert a policy raised, as the webhooks that hear about approvals also hear about it.
 *
 * @param alert the alert's name ({@code bulk_read}, ...)
 * @param sessionId the session
 * @param requestNo the request's number in its session
 * @param protocol the protocol
 * @param target the target name
 * @param subject the identity's subject
 * @param issuer the identity's issuer, or null
 * @param groups the identity's groups
 * @param sourceIp where the session connects from
 * @param request the request without literal values (normalised SQL), or null
 * @param allowed whether the request was allowed
 * @param reasons the decision's reasons
 * @param stats the numbers the policy saw ({@code input.context.stats}), or null
 * @param suppressed repeats of this alert since the last announced, not announced on their own
 * @param decisionId OPA's decision id, or null
 * @param raisedAt when
 */
public record AlertNotice(
    String alert, String sessionId, long requestNo, String protocol, String target, String subject,
    String issuer, List<String> groups, String sourceIp, String request, boolean allowed,
    List<String> reasons, Object stats, long suppressed, String decisionId, Instant raisedAt) {

  public AlertNotice {
    requireNonNull(alert, "alert");
    requireNonNull(sessionId, "sessionId");
    requireNonNull(subject, "subject");
    requireNonNull(raisedAt, "raisedAt");
    groups = groups == null ? List.of() : List.copyOf(groups);
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
  }
}
