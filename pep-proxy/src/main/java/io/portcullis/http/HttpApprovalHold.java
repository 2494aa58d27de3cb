package io.portcullis.http;

import io.portcullis.approval.ApprovalOutcome;
import io.portcullis.approval.ApprovalRequest;
import io.portcullis.audit.ApprovalEvent;
import io.portcullis.document.Context;
import io.portcullis.document.RequestDocument;
import io.portcullis.policy.CacheKey;
import io.portcullis.policy.PolicyVerdict;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Holds one HTTP request until a person approves it: the approval request (waiting at most
 * {@code http.approval_wait_s}), the audit record of each step, and the policy's re-check once
 * approved. The client simply waits for its response.
 */
final class HttpApprovalHold {

  /**
   * How a held request ended.
   *
   * @param verdict the verdict to enforce: the re-check's after an approval, else a denial
   * @param approved whether a person approved it
   */
  record Outcome(PolicyVerdict verdict, boolean approved) {}

  private HttpApprovalHold() {}

  /**
   * Holds the request; {@code held} hears the approval's id as soon as it exists (to cancel it
   * if the client goes away).
   */
  static CompletableFuture<Outcome> hold(HttpServices services, HttpSession session, HttpExchange exchange,
      RequestDocument document, PolicyVerdict verdict, CacheKey never, Consumer<String> held) {
    var approvals = services.approvals();
    var required = verdict.decision().approval();
    int limit = services.http().approvalWaitS();
    int timeout = required.timeoutS() == null ? limit : Math.min(required.timeoutS(), limit);
    ApprovalRequest request;
    try {
      List<String> reasons = required.reason() == null ? verdict.decision().reasons()
          : List.of(required.reason());
      request = approvals.request(document, exchange.described.summary(), reasons, required.approvers(),
          timeout);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new Outcome(verdict.denied(
          "the policy requires an approval that cannot be requested: " + e.getMessage()), false));
    }
    held.accept(request.id());
    String sessionId = session.info.id();
    long requestNo = exchange.requestNo;
    audit(services, sessionId, requestNo, request, "created", null,
        request.reasons().isEmpty() ? null : request.reasons().get(0));
    return approvals.hold(request).thenCompose(outcome -> {
      String actor = outcome.actor();
      String why = outcome.detail();
      // An approval lets the request go on only once the audit log holds it.
      return audit(services, sessionId, requestNo, request, outcome.state().wireName(), actor, why)
          .handle((ok, error) -> error)
          .thenCompose(error -> error == null ? after(services, document, verdict, request, outcome, never)
              : CompletableFuture.completedFuture(new Outcome(verdict.denied("approval " + request.id()
                  + " could not be recorded, so the request does not run"), false)));
    });
  }

  private static CompletableFuture<Void> audit(HttpServices services, String sessionId, long requestNo,
      ApprovalRequest held, String action, String actor, String reason) {
    return services.audit().approvalEvent(new ApprovalEvent(sessionId, requestNo, held.id(), action, actor,
        held.approvers(), reason));
  }

  private static CompletableFuture<Outcome> after(HttpServices services, RequestDocument document,
      PolicyVerdict verdict, ApprovalRequest held, ApprovalOutcome outcome, CacheKey never) {
    return switch (outcome) {
      case ApprovalOutcome.Approved a -> {
        RequestDocument recheck = new RequestDocument(document.version(), document.session(),
            document.identity(), document.request(), document.context().withApproval(
                new Context.GrantedApproval(held.id(), "approved", a.by(), a.at(), a.comment())));
        yield services.policy().decide(recheck, never)
            .thenApply(again -> new Outcome(again, again.decision().allow()));
      }
      case ApprovalOutcome.Denied d -> CompletableFuture.completedFuture(new Outcome(verdict.denied(
          "approval " + held.id() + " was denied by " + d.by() + ": " + d.reason()), false));
      case ApprovalOutcome.Expired e -> CompletableFuture.completedFuture(new Outcome(verdict.denied(
          "approval " + held.id() + " expired at " + e.at() + " before anyone approved it"), false));
      case ApprovalOutcome.Cancelled c -> CompletableFuture.completedFuture(new Outcome(verdict.denied(
          "approval " + held.id() + " was cancelled: " + c.reason()), false));
    };
  }
}
