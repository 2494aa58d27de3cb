package io.portcullis.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A request and the decision on it, recorded before the decision is enforced.
 *
 * @param sessionId the session
 * @param requestNo the request's number within the session, from 1
 * @param message the protocol message that carried it ({@code query}, {@code parse}, {@code exec})
 * @param request the request part of the request document (password literals redacted)
 * @param context the context part of the request document, or null
 * @param inputSha256 SHA-256 (hex) of the canonical JSON of the whole input sent to the policy
 * @param decision the decision and where it came from
 */
public record RequestDecided(
    String sessionId,
    long requestNo,
    String message,
    JsonNode request,
    JsonNode context,
    String inputSha256,
    DecisionRecord decision)
    implements AuditEvent {

  public RequestDecided {
    requireNonNull(sessionId, "sessionId");
    requireNonNull(decision, "decision");
  }

  /**
   * The decision as enforced.
   *
   * @param allow whether the request went on
   * @param reasons the policy's reasons
   * @param mask the masking rules, as JSON
   * @param approvalRequired whether the decision asked for approval
   * @param record {@code full}, {@code metadata} or null
   * @param alerts what the policy noticed
   * @param decisionId OPA's decision id, or null
   * @param revision the bundle revision, or null
   * @param source {@code opa}, {@code cache} or {@code failure}
   * @param decideUs time to decide, in microseconds
   */
  public record DecisionRecord(
      boolean allow,
      List<String> reasons,
      JsonNode mask,
      boolean approvalRequired,
      String record,
      List<String> alerts,
      String decisionId,
      String revision,
      String source,
      long decideUs) {

    public DecisionRecord {
      reasons = reasons == null ? List.of() : List.copyOf(reasons);
      alerts = alerts == null ? List.of() : List.copyOf(alerts);
    }
  }
}
