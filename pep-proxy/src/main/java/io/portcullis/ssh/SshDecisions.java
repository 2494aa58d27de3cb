package io.portcullis.ssh;

import io.portcullis.approval.ApprovalOutcome;
import io.portcullis.approval.ApprovalRequest;
import io.portcullis.audit.ApprovalEvent;
import io.portcullis.document.Context;
import io.portcullis.document.RequestDocument;
import io.portcullis.document.SshRequest;
import io.portcullis.log.DecisionLine;
import io.portcullis.mask.DataPattern;
import io.portcullis.mask.MaskStrategy;
import io.portcullis.policy.CacheKey;
import io.portcullis.policy.Decision;
import io.portcullis.policy.PolicyVerdict;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one SSH request: the policy's verdict, an approval when it asks for one, the audit
 * record (durable before anything goes on), the decision log line, monitoring. Blocking; called on
 * a channel's own thread, never on an I/O thread.
 */
final class SshDecisions {

  private static final Logger log = LoggerFactory.getLogger(SshDecisions.class);

  private SshDecisions() {}

  static SshEnforced decide(SshSession session, SshRequest request, OutputStream notices) {
    var services = session.services;
    long requestNo = session.nextRequestNo();
    RequestDocument document = new RequestDocument(RequestDocument.CURRENT_VERSION, session.info,
        session.identity, request, Context.at(services.clock().instant()).withStats(session.stats()));
    CacheKey key = new CacheKey(session.identity.subject(), session.identity.groups(), session.target.name(),
        "", null, exactText(request));
    PolicyVerdict verdict = services.policy().decide(document, key).join();
    session.answered(verdict);
    boolean approved = false;
    if (verdict.allowed() && verdict.decision().approvalRequired()) {
      var held = SshApprovalHold.hold(session, document, verdict, requestNo, notices);
      verdict = held.verdict();
      approved = held.approved();
    }
    SshEnforced enforced = enforce(verdict, requestNo, approved);
    var audit = services.audit();
    if (audit.enabled() && !audit.healthy()) {
      enforced = unrecorded(session, enforced, audit.problem());
    } else {
      try {
        audit.request(session.info.id(), requestNo, request.kind(), document, enforced.verdict()).join();
      } catch (CompletionException e) {
        enforced = unrecorded(session, enforced, e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      }
    }
    logDecision(session, request, enforced.verdict());
    if (enforced.allowed()) {
      session.allowed.incrementAndGet();
    } else {
      session.denied.incrementAndGet();
    }
    session.decided(requestNo, describe(request), enforced.verdict(), enforced.allowed(),
        document.context().stats());
    if (enforced.verdict().decision().terminates()) {
      session.endReason = "terminated_by_policy";
      session.endDetail = enforced.reasons();
    }
    return enforced;
  }

  /** A denial the gateway decides itself, without asking the policy, put on record all the same. */
  static SshEnforced denyLocally(SshSession session, SshRequest request, String reason) {
    long requestNo = session.nextRequestNo();
    PolicyVerdict verdict = new PolicyVerdict(Decision.deny(reason), null, null, PolicyVerdict.Source.GATEWAY, 0);
    RequestDocument document = new RequestDocument(RequestDocument.CURRENT_VERSION, session.info,
        session.identity, request, Context.at(session.services.clock().instant()));
    try {
      session.services.audit().request(session.info.id(), requestNo, request.kind(), document, verdict).join();
    } catch (CompletionException e) {
      log.error("session {}: a refusal could not be recorded: {}", session.info.id(), e.getMessage());
    }
    logDecision(session, request, verdict);
    session.denied.incrementAndGet();
    session.decided(requestNo, describe(request), verdict, false, null);
    return new SshEnforced(verdict, requestNo, Map.of(), false);
  }

  /** An allow only when the gateway can do all the decision asks; a deny otherwise. */
  static SshEnforced enforce(PolicyVerdict verdict, long requestNo, boolean approved) {
    if (verdict.allowed() && verdict.decision().approvalRequired() && !approved) {
      verdict = verdict.denied("the policy requires an approval");
    }
    Map<DataPattern, MaskStrategy> masks = new EnumMap<>(DataPattern.class);
    if (verdict.allowed()) {
      try {
        for (Decision.MaskRule rule : verdict.decision().mask()) {
          if (rule.pattern() == null || rule.column() != null || rule.path() != null) {
            throw new IllegalArgumentException("ssh output is masked by data pattern only: " + rule);
          }
          MaskStrategy strategy = MaskStrategy.parse(rule.strategy());
          for (DataPattern pattern : DataPattern.parse(rule.pattern())) {
            masks.merge(pattern, strategy, MaskStrategy::stricter);
          }
        }
      } catch (IllegalArgumentException e) {
        verdict = verdict.denied("the policy asks for masking the gateway cannot apply: " + e.getMessage());
        masks.clear();
      }
    }
    return new SshEnforced(verdict, requestNo, masks, "full".equals(verdict.decision().record()));
  }

  private static SshEnforced unrecorded(SshSession session, SshEnforced enforced, String problem) {
    log.error("session {}: request {} refused: the audit log cannot record it: {}", session.info.id(),
        enforced.requestNo(), problem);
    return new SshEnforced(PolicyVerdict.failure("the audit log is unavailable, so no request can run"
        + " (the gateway fails closed)", enforced.verdict().latencyNanos()), enforced.requestNo(), Map.of(), false);
  }

  /** What a cached decision may be reused for: the same kind and the same exact request. */
  private static String exactText(SshRequest r) {
    return switch (r.kind()) {
      case "exec", "shell_line" -> r.kind() + "\u0000" + r.command();
      case "env" -> "env\u0000" + r.env().name() + "=" + r.env().value();
      case "subsystem" -> "subsystem\u0000" + r.subsystem();
      case "shell" -> "shell\u0000" + (r.pty() != null);
      // A file operation by everything the policy sees of it (the policy marks it cacheable).
      case "sftp" -> "sftp\u0000" + r.sftp().operation() + "\u0000" + r.sftp().path() + "\u0000"
          + r.sftp().targetPath() + "\u0000" + r.sftp().access() + "\u0000" + r.sftp().extension();
      // Forwarding carries addresses: decided each time.
      default -> null;
    };
  }

  /**
   * The request for the decision log and alerts, without values that may be secrets: the command
   * name, and the line only as a hash and length.
   */
  static String describe(SshRequest r) {
    return switch (r.kind()) {
      case "exec", "shell_line" -> r.kind() + " " + (r.argv().isEmpty() ? "" : r.argv().get(0) + " ")
          + lineHash(r.command());
      case "env" -> "env " + r.env().name();
      case "subsystem" -> "subsystem " + r.subsystem();
      case "port_forward" -> "port_forward " + r.forward().direction() + " " + r.forward().host() + ":"
          + r.forward().port();
      case "sftp" -> "sftp " + r.sftp().operation();
      default -> r.kind();
    };
  }

  /** A command line as a hash and a length: its arguments can be secrets. */
  static String lineHash(String line) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(line.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + java.util.HexFormat.of().formatHex(digest, 0, 12) + " length:" + line.length();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void logDecision(SshSession session, SshRequest request, PolicyVerdict verdict) {
    Decision decision = verdict.decision();
    session.services.decisionLog().record(new DecisionLine(session.services.clock().instant(), session.info.id(),
        session.info.protocol(), session.target.name(), session.identity.subject(), request.kind(),
        describe(request), null, decision.allow(), decision.reasons(),
        verdict.source().name().toLowerCase(Locale.ROOT), verdict.decisionId(), verdict.revision(),
        verdict.latencyNanos() / 1000));
  }

  /** Writes one line to the client's stderr (best effort: the client may have gone). */
  static void notice(OutputStream err, String text) {
    if (err == null) {
      return;
    }
    try {
      err.write(text.getBytes(StandardCharsets.UTF_8));
      err.flush();
    } catch (IOException e) {
      log.debug("notice not delivered: {}", e.toString());
    }
  }

  /** The outcome of an approval hold. */
  record Held(PolicyVerdict verdict, boolean approved) {}

  /** Holds one request until a person approves it, as PgApprovalHold does for PostgreSQL. */
  static final class SshApprovalHold {

    private SshApprovalHold() {}

    static Held hold(SshSession session, RequestDocument document, PolicyVerdict verdict, long requestNo,
        OutputStream notices) {
      var services = session.services;
      var required = verdict.decision().approval();
      ApprovalRequest held;
      try {
        List<String> reasons = required.reason() == null ? verdict.decision().reasons() : List.of(required.reason());
        held = services.approvals().request(document, describe((SshRequest) document.request()), reasons,
            required.approvers(), required.timeoutS());
      } catch (IllegalArgumentException e) {
        return new Held(verdict.denied("the policy requires an approval that cannot be requested: "
            + e.getMessage()), false);
      }
      session.heldApprovals.put(held.id(), Thread.currentThread());
      try {
        notice(notices, "portcullis: command held for approval " + held.id()
            + (required.reason() == null ? "" : ": " + required.reason()) + "\r\n"
            + "portcullis: approvers: " + String.join(", ", held.approvers()) + "; expires at "
            + held.expiresAt() + "\r\n"
            + "portcullis: " + services.approvals().links().instructions(held.id()).replace("\n", "\r\n") + "\r\n");
        audit(session, held, requestNo, "created", null, held.reasons().isEmpty() ? null : held.reasons().get(0));
        ApprovalOutcome outcome = services.approvals().hold(held).join();
        String actor = outcome.actor();
        String why = outcome.detail();
        try {
          audit(session, held, requestNo, outcome.state().wireName(), actor, why);
        } catch (CompletionException e) {
          return new Held(verdict.denied("approval " + held.id() + " could not be recorded, so the command"
              + " does not run"), false);
        }
        return switch (outcome) {
          case ApprovalOutcome.Approved a -> {
            RequestDocument recheck = new RequestDocument(document.version(), document.session(),
                document.identity(), document.request(), document.context().withApproval(
                    new Context.GrantedApproval(held.id(), "approved", a.by(), a.at(), a.comment())));
            CacheKey never = new CacheKey(session.identity.subject(), session.identity.groups(),
                session.target.name(), "", null, null);
            PolicyVerdict again = services.policy().decide(recheck, never).join();
            yield new Held(again, again.decision().allow());
          }
          case ApprovalOutcome.Denied d -> new Held(verdict.denied("approval " + held.id() + " was denied by "
              + d.by() + ": " + d.reason()), false);
          case ApprovalOutcome.Expired e -> new Held(verdict.denied("approval " + held.id() + " expired at "
              + e.at() + " before anyone approved it"), false);
          case ApprovalOutcome.Cancelled c -> new Held(verdict.denied("approval " + held.id()
              + " was cancelled: " + c.reason()), false);
        };
      } finally {
        session.heldApprovals.remove(held.id());
      }
    }

    private static void audit(SshSession session, ApprovalRequest held, long requestNo, String action,
        String actor, String reason) {
      session.services.audit().approvalEvent(new ApprovalEvent(session.info.id(), requestNo, held.id(), action,
          actor, held.approvers(), reason)).join();
    }
  }
}
