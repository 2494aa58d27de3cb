package io.portcullis.policy;

import java.util.List;

/**
 * The decision document a policy returns as {@code data.portcullis.decision}.
 *
 * @param allow whether the request may go on; anything but an explicit {@code true} is a deny
 * @param reasons human-readable reasons, sent back to a denied client
 * @param mask masking rules to apply to the response
 * @param approval a requirement for a person to approve the request first, or null
 * @param record how much of the exchange to record ({@code full}, {@code metadata}), or null
 * @param alerts what the policy noticed, for the audit log and notifications
 * @param cache when present, for how long and for which requests this decision may be reused
 * @param maskNotice whether the client is told, once per statement, how many values were masked
 */
public record Decision(
    boolean allow,
    List<String> reasons,
    List<MaskRule> mask,
    Approval approval,
    String record,
    List<String> alerts,
    CacheHint cache,
    Boolean maskNotice) {

  public Decision {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    mask = mask == null ? List.of() : List.copyOf(mask);
    alerts = alerts == null ? List.of() : List.copyOf(alerts);
    maskNotice = Boolean.TRUE.equals(maskNotice);
  }

  /** A deny with one reason, for failures on the gateway's side. */
  public static Decision deny(String reason) {
    return new Decision(false, List.of(reason), List.of(), null, null, List.of(), null, false);
  }

  /** Whether a person must approve the request before it goes on. */
  public boolean approvalRequired() {
    return approval != null && approval.required();
  }

  /**
   * One masking rule: by table and column, by bare column, by data pattern, or by JSON path.
   *
   * @param table the table the column belongs to, or null for any table
   * @param column the column name, or null
   * @param pattern a named data pattern ({@code credit_card}, {@code email}, ...), or null
   * @param path a JSON path for HTTP bodies, or null
   * @param strategy {@code redact}, {@code partial}, {@code hash} or {@code null}
   */
  public record MaskRule(String table, String column, String pattern, String path, String strategy) {}

  /**
   * A requirement for approval before the request goes on.
   *
   * @param required whether approval is required
   * @param approvers who may approve ({@code group:dba}, {@code user:alice})
   * @param timeoutS how long to wait for a decision, in seconds
   * @param reason why approval is needed
   */
  public record Approval(boolean required, List<String> approvers, Integer timeoutS, String reason) {
    public Approval {
      approvers = approvers == null ? List.of() : List.copyOf(approvers);
    }
  }

  /**
   * Permission to reuse this decision.
   *
   * @param ttlS seconds the decision may be reused for
   * @param scope {@code fingerprint} (same statement shape) or {@code exact} (same text)
   */
  public record CacheHint(int ttlS, String scope) {}
}
