package io.portcullis.approval;

import java.net.URI;

/** Checks of configured URLs. */
final class Urls {

  private Urls() {}

  /** Whether {@code url} is an absolute http or https URL with a host. */
  static boolean isHttp(String url) {
    if (url == null || url.isBlank()) {
      return false;
    }
    try {
      URI uri = URI.create(url);
      return uri.getHost() != null
          && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
