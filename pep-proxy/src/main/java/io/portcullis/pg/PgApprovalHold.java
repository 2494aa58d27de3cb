package io.portcullis.pg;

import io.netty.buffer.ByteBuf;
import io.portcullis.approval.ApprovalOutcome;
import io.portcullis.approval.ApprovalRequest;
import io.portcullis.audit.ApprovalEvent;
import io.portcullis.document.Context;
import io.portcullis.document.RequestDocument;
import io.portcullis.document.SqlRequest;
import io.portcullis.log.DecisionLine;
import io.portcullis.policy.CacheKey;
import io.portcullis.policy.PolicyVerdict;
import io.portcullis.protocol.pg.NoticeResponse;
import io.portcullis.sql.SqlAnalysis;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Holds one PostgreSQL statement until a person approves it: the approval request, the client's
 * notice, the audit records of each step, and the policy's re-check once approved.
 */
final class PgApprovalHold {

  /**
   * How a held request ended.
   *
   * @param verdict the verdict to enforce: the re-check's after an approval, else a denial
   * @param approved whether a person approved it
   */
  record Outcome(PolicyVerdict verdict, boolean approved) {}

  private final PgSession session;

  PgApprovalHold(PgSession session) {
    this.session = session;
  }


  /**
   * Holds the request until a person decides: creates the approval request, tells the client
   * which one it waits for, and after an approval asks the policy once more with the granted
   * approval in {@code input.context.approval}. That re-check is never cached.
   */
  CompletableFuture<Outcome> hold(RequestDocument document, SqlAnalysis analysis,
      PolicyVerdict verdict, long requestNo) {
    var approvals = session.services.approvals();
    var required = verdict.decision().approval();
    ApprovalRequest held;
    try {
      List<String> reasons = required.reason() == null ? verdict.decision().reasons()
          : List.of(required.reason());
      held = approvals.request(document, summary(analysis, document), reasons, required.approvers(),
          required.timeoutS());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new Outcome(verdict.denied("the policy requires an approval that cannot be requested: " + e.getMessage()), false));
    }
    session.heldApproval = held.id();
    noticeHeld(held, required.reason());
    auditApproval(held, requestNo, "created", null, held.reasons().isEmpty() ? null : held.reasons().get(0));
    return approvals.hold(held).thenCompose(outcome -> {
      String actor = outcome.actor();
      String why = outcome.detail();
      // An approval lets the request go on only once the audit log holds it.
      return auditApproval(held, requestNo, outcome.state().wireName(), actor, why)
          .handle((ok, error) -> error)
          .thenCompose(error -> error == null ? afterApproval(document, verdict, held, outcome)
              : CompletableFuture.completedFuture(new Outcome(verdict.denied("approval " + held.id()
                  + " could not be recorded, so the statement does not run"), false)));
    });
  }

  private CompletableFuture<Void> auditApproval(ApprovalRequest held, long requestNo, String action,
      String actor, String reason) {
    return session.services.audit().approvalEvent(new ApprovalEvent(session.info.id(),
        requestNo, held.id(), action, actor, held.approvers(), reason));
  }

  private CompletableFuture<Outcome> afterApproval(RequestDocument document, PolicyVerdict verdict,
      ApprovalRequest held, ApprovalOutcome outcome) {
    return switch (outcome) {
      case ApprovalOutcome.Approved a -> {
        RequestDocument recheck = new RequestDocument(document.version(), document.session(),
            document.identity(), document.request(), document.context().withApproval(
                new Context.GrantedApproval(held.id(), "approved", a.by(), a.at(), a.comment())));
        CacheKey never = new CacheKey(session.identity.subject(), session.identity.groups(),
            session.target.name(), session.target.database(), null, null);
        yield session.services.policy().decide(recheck, never)
            .thenApply(again -> new Outcome(again, again.decision().allow()));
      }
      case ApprovalOutcome.Denied d -> CompletableFuture.completedFuture(new Outcome(verdict.denied("approval " + held.id() + " was denied by " + d.by() + ": " + d.reason()), false));
      case ApprovalOutcome.Expired e -> CompletableFuture.completedFuture(new Outcome(verdict.denied("approval " + held.id() + " expired at " + e.at() + " before anyone approved it"), false));
      case ApprovalOutcome.Cancelled c -> CompletableFuture.completedFuture(new Outcome(verdict.denied("approval " + held.id() + " was cancelled: " + c.reason()), false));
    };
  }

  private static String summary(SqlAnalysis analysis, RequestDocument document) {
    return DecisionLine.describeSql(analysis.normalized(), ((SqlRequest) document.request()).sql());
  }

  private void noticeHeld(ApprovalRequest held, String reason) {
    NoticeResponse notice = PgErrors.notice("portcullis: statement held for approval " + held.id()
        + (reason == null ? "" : ": " + reason),
        "approvers: " + String.join(", ", held.approvers()) + "; expires at " + held.expiresAt(),
        session.services.approvals().links().instructions(held.id()));
    ByteBuf out = session.client.alloc().buffer();
    notice.encode(out);
    session.client.writeAndFlush(out, session.client.voidPromise());
  }
}
