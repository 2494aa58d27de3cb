package io.portcullis.http;

import io.portcullis.config.TargetSettings;

/** The {@link HttpProtocol} that serves a target, by the target's {@code protocol}. */
public final class HttpProtocols {

  private HttpProtocols() {}

  /** Whether the gateway serves {@code protocol} through its HTTP listeners. */
  public static boolean served(String protocol) {
    return "http".equals(protocol) || "kubernetes".equals(protocol);
  }

  /**
   * The protocol for a target.
   *
   * @throws IllegalArgumentException for a protocol not served over HTTP
   */
  public static HttpProtocol of(TargetSettings target) {
    return switch (target.protocol()) {
      case "http" -> PlainHttp.INSTANCE;
      case "kubernetes" -> new io.portcullis.k8s.K8sProtocol(target);
      default -> throw new IllegalArgumentException("target " + target.name() + ": protocol "
          + target.protocol() + " is not served over HTTP");
    };
  }
}
