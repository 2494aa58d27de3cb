package io.portcullis.approval;

import java.util.List;

/**
 * Settings of just-in-time approvals ({@code approvals} in the gateway's YAML).
 *
 * @param defaultTimeoutS how long a request waits when the decision names no {@code timeout_s},
 *     default 900
 * @param maxTimeoutS the longest wait a decision may ask for, default 3600
 * @param webhooks where new and decided requests are announced, default none
 * @param publicUrl the admin API's address as approvers reach it (for the links in notices and
 *     notifications), default {@code http://<admin.listen>}
 * @param syncIntervalMs with the PostgreSQL store, how often the gateway reads the requests and
 *     decisions other gateways sharing it recorded, default 500
 */
public record ApprovalSettings(
    Integer defaultTimeoutS, Integer maxTimeoutS, List<Webhook> webhooks, String publicUrl,
    Integer syncIntervalMs) {

  /** The longest {@code max_timeout_s} accepted: one week. */
  public static final int MAX_TIMEOUT_LIMIT_S = 7 * 24 * 3600;

  public ApprovalSettings {
    defaultTimeoutS = defaultTimeoutS == null ? 900 : defaultTimeoutS;
    maxTimeoutS = maxTimeoutS == null ? 3600 : maxTimeoutS;
    syncIntervalMs = syncIntervalMs == null ? 500 : syncIntervalMs;
    // Not List.copyOf: an empty YAML entry must reach validate() and its clear message.
    webhooks = webhooks == null ? List.of()
        : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(webhooks));
    publicUrl = publicUrl != null && publicUrl.endsWith("/")
        ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  /** All defaults. */
  public static ApprovalSettings defaults() {
    return new ApprovalSettings(null, null, null, null, null);
  }

  /** Settings with the sync interval left at its default. */
  public ApprovalSettings(Integer defaultTimeoutS, Integer maxTimeoutS, List<Webhook> webhooks,
      String publicUrl) {
    this(defaultTimeoutS, maxTimeoutS, webhooks, publicUrl, null);
  }

  /**
   * The wait for a decision's {@code timeout_s}: the default when absent or not positive, never
   * more than {@code max_timeout_s}.
   */
  public int timeoutS(Integer requested) {
    int wanted = requested == null || requested <= 0 ? defaultTimeoutS : requested;
    return Math.min(wanted, maxTimeoutS);
  }

  /** Adds one message per invalid setting to {@code errors}. */
  public void validate(List<String> errors) {
    if (maxTimeoutS < 1 || maxTimeoutS > MAX_TIMEOUT_LIMIT_S) {
      errors.add("approvals.max_timeout_s: " + maxTimeoutS + " (expected: 1.." + MAX_TIMEOUT_LIMIT_S
          + ")");
    } else if (defaultTimeoutS < 1 || defaultTimeoutS > maxTimeoutS) {
      errors.add("approvals.default_timeout_s: " + defaultTimeoutS + " (expected: 1.." + maxTimeoutS
          + ", at most approvals.max_timeout_s)");
    }
    for (int i = 0; i < webhooks.size(); i++) {
      Webhook hook = webhooks.get(i);
      if (hook == null) {
        errors.add("approvals.webhooks[" + i + "]: empty");
      } else {
        hook.validate("approvals.webhooks[" + i + "]", errors);
      }
    }
    if (syncIntervalMs < 50 || syncIntervalMs > 60_000) {
      errors.add("approvals.sync_interval_ms: " + syncIntervalMs + " (expected: 50..60000)");
    }
    if (publicUrl != null && !Urls.isHttp(publicUrl)) {
      errors.add("approvals.public_url: " + publicUrl + " (expected: an http:// or https:// URL)");
    }
  }
}
