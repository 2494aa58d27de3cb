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
 * @param terminate whether the session ends now: the request does not run, the client gets a
 *     FATAL error with the reasons and the connection closes
 * @param headers for HTTP: request headers the gateway adds or removes before forwarding, or null
 */
public record Decision(
    boolean allow,
    List<String> reasons,
    List<MaskRule> mask,
    Approval approval,
    String record,
    List<String> alerts,
    CacheHint cache,
    Boolean maskNotice,
    Boolean terminate,
    HeaderChanges headers) {

  public Decision {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    mask = mask == null ? List.of() : List.copyOf(mask);
    alerts = alerts == null ? List.of() : List.copyOf(alerts);
    maskNotice = Boolean.TRUE.equals(maskNotice);
    terminate = Boolean.TRUE.equals(terminate);
  }

  /** A decision without header changes. */
  public Decision(boolean allow, List<String> reasons, List<MaskRule> mask, Approval approval,
      String record, List<String> alerts, CacheHint cache, Boolean maskNotice, Boolean terminate) {
    this(allow, reasons, mask, approval, record, alerts, cache, maskNotice, terminate, null);
  }

  /** A decision that does not end the session. */
  public Decision(boolean allow, List<String> reasons, List<MaskRule> mask, Approval approval,
      String record, List<String> alerts, CacheHint cache, Boolean maskNotice) {
    this(allow, reasons, mask, approval, record, alerts, cache, maskNotice, false);
  }

  /** Whether the policy ends the session with this request. */
  public boolean terminates() {
    return terminate;
  }

  /** A deny with one reason, for failures on the gateway's side. */
  public static Decision deny(String reason) {
    return new Decision(false, List.of(reason), List.of(), null, null, List.of(), null, false, false,
        null);
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
   * @param path a JSON path for HTTP bodies ({@code json_path} in the decision), or null
   * @param strategy {@code redact}, {@code partial}, {@code hash} or {@code null}
   */
  public record MaskRule(String table, String column, String pattern,
      @com.fasterxml.jackson.annotation.JsonAlias("json_path") String path, String strategy) {}

  /**
   * Request headers an HTTP decision changes before the request is forwarded.
   *
   * @param add headers to set, by name (replacing any the client sent), never null
   * @param remove header names to drop, never null
   */
  public record HeaderChanges(java.util.Map<String, String> add, List<String> remove) {
    public HeaderChanges {
      add = add == null ? java.util.Map.of() : java.util.Map.copyOf(add);
      remove = remove == null ? List.of() : List.copyOf(remove);
    }
  }

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
   * @param statsBelow counters of {@code input.context.stats} (snake_case names) and the bound each
   *     must stay below for the decision to be reused; never null
   * @param statsAtLeast counters and the count each must stay at or above (the decision raised an
   *     alert at that count); never null
   */
  public record CacheHint(int ttlS, String scope, java.util.Map<String, Long> statsBelow,
      java.util.Map<String, Long> statsAtLeast) {
    public CacheHint {
      statsBelow = statsBelow == null ? java.util.Map.of() : java.util.Map.copyOf(statsBelow);
      statsAtLeast = statsAtLeast == null ? java.util.Map.of() : java.util.Map.copyOf(statsAtLeast);
    }

    /** A hint without a guard on activity. */
    public CacheHint(int ttlS, String scope) {
      this(ttlS, scope, null, null);
    }

    /** A hint with an upper guard only. */
    public CacheHint(int ttlS, String scope, java.util.Map<String, Long> statsBelow) {
      this(ttlS, scope, statsBelow, null);
    }

    /** Whether the decision may be reused for a request whose activity is {@code stats}. */
    public boolean admits(io.portcullis.document.Context.Stats stats) {
      for (var bound : statsBelow.entrySet()) {
        if (count(stats, bound.getKey()) >= bound.getValue()) {
          return false;
        }
      }
      for (var floor : statsAtLeast.entrySet()) {
        if (count(stats, floor.getKey()) < floor.getValue()) {
          return false;
        }
      }
      return true;
    }

    private static long count(io.portcullis.document.Context.Stats stats, String counter) {
      return stats == null ? 0 : stats.counter(counter);
    }
  }
}
