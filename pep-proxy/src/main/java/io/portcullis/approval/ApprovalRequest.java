package io.portcullis.approval;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.document.Identity;
import io.portcullis.document.RequestDocument;
import io.portcullis.json.Json;
import java.time.Instant;
import java.util.List;

/**
 * One request held until a person approves it: who asked, for what, who may decide, until when,
 * and how it ended ({@code outcome}, null while pending).
 *
 * @param id {@code apr_} followed by 20 random base32 characters
 * @param createdAt when the request was held
 * @param expiresAt when it expires unless decided
 * @param sessionId the session the request arrived on
 * @param protocol {@code postgres}, {@code ssh}, {@code kubernetes} or {@code http}
 * @param target the configured target name
 * @param requester the identity whose request is held
 * @param summary the request without literal values (normalised SQL, a command line), never secrets
 * @param requestDocument the full request document, for approvers to inspect
 * @param reasons why the policy asks for approval
 * @param approvers who may decide: {@code group:G} (a member of G) or {@code user:S} (subject S)
 * @param outcome how the request ended, or null while pending
 * @param heldBy the gateway instance whose client waits on the request ({@code audit.postgres.chain}
 *     when gateways share the approval store), or null for a gateway that shares it with none
 */
public record ApprovalRequest(
    String id,
    Instant createdAt,
    Instant expiresAt,
    String sessionId,
    String protocol,
    String target,
    Identity requester,
    String summary,
    JsonNode requestDocument,
    List<String> reasons,
    List<String> approvers,
    ApprovalOutcome outcome,
    String heldBy) {

  public ApprovalRequest {
    requireNonNull(id, "id");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(expiresAt, "expiresAt");
    requireNonNull(sessionId, "sessionId");
    requireNonNull(protocol, "protocol");
    requireNonNull(target, "target");
    requireNonNull(requester, "requester");
    requireNonNull(summary, "summary");
    requireNonNull(requestDocument, "requestDocument");
    if (!ApprovalIds.isValid(id)) {
      throw new IllegalArgumentException("id: " + id + " (expected: apr_ and 20 base32 characters)");
    }
    if (!expiresAt.isAfter(createdAt)) {
      throw new IllegalArgumentException(
          "expiresAt: " + expiresAt + " (expected: after createdAt " + createdAt + ")");
    }
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    approvers = approvers == null ? List.of() : List.copyOf(approvers);
    Approvers.check(approvers);
  }

  /**
   * A new pending request for a document the policy wants approved.
   *
   * @throws IllegalArgumentException when {@code approvers} is empty or malformed
   */
  public static ApprovalRequest pending(
      String id,
      Instant createdAt,
      Instant expiresAt,
      RequestDocument document,
      String summary,
      List<String> reasons,
      List<String> approvers) {
    requireNonNull(document, "document");
    return new ApprovalRequest(
        id,
        createdAt,
        expiresAt,
        document.session().id(),
        document.session().protocol(),
        document.session().target(),
        document.identity(),
        summary,
        Json.mapper().valueToTree(document),
        reasons,
        approvers,
        null,
        null);
  }

  /** This pending request, held by the gateway instance {@code instance} (null: unshared). */
  ApprovalRequest heldBy(String instance) {
    return new ApprovalRequest(id, createdAt, expiresAt, sessionId, protocol, target, requester,
        summary, requestDocument, reasons, approvers, outcome, instance);
  }

  /** Where the request stands: pending until it has an outcome. */
  @JsonProperty("state")
  public ApprovalState state() {
    return outcome == null ? ApprovalState.PENDING : outcome.state();
  }

  /** This request with its outcome. */
  ApprovalRequest withOutcome(ApprovalOutcome outcome) {
    return new ApprovalRequest(id, createdAt, expiresAt, sessionId, protocol, target, requester,
        summary, requestDocument, reasons, approvers, requireNonNull(outcome, "outcome"), heldBy);
  }
}
