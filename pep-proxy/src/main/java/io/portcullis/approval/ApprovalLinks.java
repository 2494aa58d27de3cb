package io.portcullis.approval;

/**
 * How a person approves or denies a request: the admin API's URLs and the CLI lines. The admin
 * URL is set once the admin server knows its port; until then (or without an admin server) the
 * instructions say that no admin API is configured.
 */
public final class ApprovalLinks {

  private volatile String adminUrl;

  /** Links to the admin API at {@code adminUrl} (for example {@code http://127.0.0.1:9090}), or null. */
  public ApprovalLinks(String adminUrl) {
    adminUrl(adminUrl);
  }

  /** Sets the admin API's base URL, or null when there is none. */
  public void adminUrl(String url) {
    this.adminUrl = url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The admin API's base URL, or null. */
  public String adminUrl() {
    return adminUrl;
  }

  /** The URL to POST an approval to, or null without an admin API. */
  public String approveUrl(String id) {
    String base = adminUrl;
    return base == null ? null : base + "/api/v1/approvals/" + id + "/approve";
  }

  /** The URL to POST a denial to, or null without an admin API. */
  public String denyUrl(String id) {
    String base = adminUrl;
    return base == null ? null : base + "/api/v1/approvals/" + id + "/deny";
  }

  /** The CLI line that approves the request. */
  public String cliApprove(String id) {
    return "portcullis approvals approve " + id + urlOption();
  }

  /** The CLI line that denies the request (with a placeholder reason). */
  public String cliDeny(String id) {
    return "portcullis approvals deny " + id + " --reason '...'" + urlOption();
  }

  /** One sentence for the requester and approvers, for example in a PostgreSQL notice. */
  public String instructions(String id) {
    String url = approveUrl(id);
    return url == null
        ? "an approver must approve " + id + ", but this gateway has no admin API (admin.listen)"
        : "an approver can run: " + cliApprove(id) + " (or POST " + url + ")";
  }

  private String urlOption() {
    String base = adminUrl;
    return base == null ? "" : " --admin-url " + base;
  }
}
