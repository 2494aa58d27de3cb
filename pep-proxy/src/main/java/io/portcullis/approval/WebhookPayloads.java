package io.portcullis.approval;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies the notifier posts: the generic JSON event and a Slack incoming-webhook message, for
 * approvals and for alerts.
 */
final class WebhookPayloads {

  /** Longest summary put into a Slack block (Slack refuses section text over 3,000 characters). */
  static final int SLACK_SUMMARY_CHARS = 1_500;

  private WebhookPayloads() {}

  /**
   * The generic JSON event: the approval's facts and how to decide it; never the request document.
   *
   * @param type always {@code approval}
   * @param id the approval id
   * @param state its state now
   * @param sessionId the requester's session
   * @param protocol the protocol
   * @param target the target name
   * @param requester who asked
   * @param summary what was asked, without literal values
   * @param reasons why approval is needed
   * @param approvers who may decide
   * @param createdAt when it was held
   * @param expiresAt when it expires
   * @param outcome how it ended, or null while pending
   * @param approve how to approve (while pending)
   * @param deny how to deny (while pending)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Event(
      String type, String id, ApprovalState state, String sessionId, String protocol, String target,
      Requester requester, String summary, List<String> reasons, List<String> approvers,
      Instant createdAt, Instant expiresAt, ApprovalOutcome outcome, Action approve, Action deny) {}

  /** The requester as notifications show it: no claims. */
  record Requester(String subject, String issuer, List<String> groups) {}

  /** One way to decide: the admin API URL to POST to, and the CLI line. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Action(String url, String cli) {}

  static Event event(ApprovalRequest r, ApprovalLinks links) {
    boolean pending = r.state() == ApprovalState.PENDING;
    return new Event("approval", r.id(), r.state(), r.sessionId(), r.protocol(), r.target(),
        new Requester(r.requester().subject(), r.requester().issuer(), r.requester().groups()),
        r.summary(), r.reasons(), r.approvers(), r.createdAt(), r.expiresAt(), r.outcome(),
        pending ? new Action(links.approveUrl(r.id()), links.cliApprove(r.id())) : null,
        pending ? new Action(links.denyUrl(r.id()), links.cliDeny(r.id())) : null);
  }

  /** A Slack message: {@code text} (the fallback) and {@code blocks}. */
  record Slack(String text, List<Block> blocks) {}

  /** A Slack block: a {@code section} with text, or a {@code context} with elements. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Block(String type, Text text, List<Text> elements) {}

  /** Slack text, {@code mrkdwn}. */
  record Text(String type, String text) {
    static Text mrkdwn(String text) {
      return new Text("mrkdwn", text);
    }
  }

  static Slack slack(ApprovalRequest r, ApprovalLinks links) {
    String who = r.requester().subject();
    String head = switch (r.state()) {
      case PENDING -> "Approval " + r.id() + " needed: " + who + " on " + r.target();
      case APPROVED, DENIED, EXPIRED, CANCELLED ->
          "Approval " + r.id() + " " + r.outcome().describe();
    };
    List<Block> blocks = new ArrayList<>();
    StringBuilder detail = new StringBuilder("*").append(escape(head)).append("*\n");
    detail.append("```").append(escape(shorten(r.summary()))).append("```");
    if (!r.reasons().isEmpty()) {
      detail.append("\nWhy: ").append(escape(String.join("; ", r.reasons())));
    }
    blocks.add(new Block("section", Text.mrkdwn(detail.toString()), null));
    List<Text> context = new ArrayList<>();
    context.add(Text.mrkdwn(escape("requester " + who + " (groups: "
        + String.join(", ", r.requester().groups()) + "), session " + r.sessionId() + ", "
        + r.protocol() + ", approvers: " + String.join(", ", r.approvers()) + ", expires "
        + r.expiresAt())));
    if (r.state() == ApprovalState.PENDING) {
      context.add(Text.mrkdwn("Approve: `" + escape(links.cliApprove(r.id())) + "`"
          + (links.approveUrl(r.id()) == null ? "" : " or POST " + escape(links.approveUrl(r.id())))));
      context.add(Text.mrkdwn("Deny: `" + escape(links.cliDeny(r.id())) + "`"));
    }
    blocks.add(new Block("context", null, context));
    return new Slack(head + ": " + shorten(r.summary()), blocks);
  }

  /**
   * The generic JSON body of an alert: what was noticed, on which request, and the numbers.
   *
   * @param type always {@code alert}
   * @param alert the alert's name
   * @param sessionId the session
   * @param requestNo the request's number in its session
   * @param protocol the protocol
   * @param target the target
   * @param identity who
   * @param sourceIp from where
   * @param request the request without literal values
   * @param verdict {@code allow} or {@code deny}
   * @param reasons the decision's reasons
   * @param stats the activity the policy saw
   * @param suppressed repeats since the last one announced
   * @param decisionId OPA's decision id
   * @param raisedAt when
   */
  record AlertEvent(
      String type, String alert, String sessionId, long requestNo, String protocol, String target,
      Requester identity, String sourceIp, String request, String verdict, List<String> reasons,
      Object stats, long suppressed, String decisionId, Instant raisedAt) {}

  static AlertEvent alert(AlertNotice a) {
    return new AlertEvent("alert", a.alert(), a.sessionId(), a.requestNo(), a.protocol(), a.target(),
        new Requester(a.subject(), a.issuer(), a.groups()), a.sourceIp(), a.request(),
        a.allowed() ? "allow" : "deny", a.reasons(), a.stats(), a.suppressed(), a.decisionId(),
        a.raisedAt());
  }

  /** A Slack message for an alert: the headline, the request, and the numbers behind it. */
  static Slack slack(AlertNotice a, String numbers) {
    String head = "Alert " + a.alert() + ": " + a.subject() + " on " + a.target();
    StringBuilder detail = new StringBuilder("*").append(escape(head)).append("*");
    if (a.request() != null) {
      detail.append("\n```").append(escape(shorten(a.request()))).append("```");
    }
    detail.append("\n").append(a.allowed() ? "Allowed" : "Denied");
    if (!a.reasons().isEmpty()) {
      detail.append(": ").append(escape(String.join("; ", a.reasons())));
    }
    List<Block> blocks = new ArrayList<>();
    blocks.add(new Block("section", Text.mrkdwn(detail.toString()), null));
    List<Text> context = new ArrayList<>();
    context.add(Text.mrkdwn(escape("identity " + a.subject() + " (groups: " + String.join(", ", a.groups())
        + "), session " + a.sessionId() + " request #" + a.requestNo() + ", " + a.protocol() + ", from "
        + a.sourceIp() + (a.suppressed() > 0 ? ", " + a.suppressed() + " more since the last" : ""))));
    if (numbers != null && !numbers.isEmpty()) {
      context.add(Text.mrkdwn(escape(shorten(numbers))));
    }
    blocks.add(new Block("context", null, context));
    return new Slack(head, blocks);
  }

  private static String shorten(String s) {
    return s.length() <= SLACK_SUMMARY_CHARS ? s : s.substring(0, SLACK_SUMMARY_CHARS) + "…";
  }

  /** Slack's three control characters in mrkdwn; backticks would close the code span. */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("`", "'");
  }
}
