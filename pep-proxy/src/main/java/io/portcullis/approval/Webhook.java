package io.portcullis.approval;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * A webhook that hears about approval requests ({@code approvals.webhooks[]} in the YAML).
 *
 * @param url where events are POSTed; http or https. Its path may hold a secret (Slack's do), so
 *     logs name only its scheme, host and port
 * @param format {@code json} (the approval event, default) or {@code slack} (an incoming-webhook
 *     message with text and blocks)
 */
public record Webhook(String url, String format) {

  public Webhook {
    format = format == null ? "json" : format.toLowerCase(Locale.ROOT);
  }

  /** Whether this webhook takes Slack messages. */
  public boolean slack() {
    return format.equals("slack");
  }

  /** The URL without path, query or user info, safe to log. */
  public String safeName() {
    try {
      URI uri = URI.create(url);
      if (uri.getHost() == null) {
        return uri.getScheme() == null ? "(not a URL)" : uri.getScheme() + ":…";
      }
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    } catch (IllegalArgumentException e) {
      return "(malformed url)";
    }
  }

  void validate(String prefix, List<String> errors) {
    if (!format.equals("json") && !format.equals("slack")) {
      errors.add(prefix + ".format: " + format + " (expected: json or slack)");
    }
    if (!Urls.isHttp(url)) {
      errors.add(prefix + ".url: " + (url == null ? "missing" : safeName())
          + " (expected: an http:// or https:// URL)");
    }
  }
}
