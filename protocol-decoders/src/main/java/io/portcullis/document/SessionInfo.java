package io.portcullis.document;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The session part of the request document.
 *
 * @param id gateway-issued session id, {@code ses_...}
 * @param protocol {@code postgres}, {@code ssh}, {@code kubernetes} or {@code http}
 * @param target the configured target name the client asked for
 * @param startedAt when the client connected
 * @param source where the client connects from
 */
public record SessionInfo(String id, String protocol, String target, Instant startedAt, Source source) {

  public SessionInfo {
    requireNonNull(id, "id");
    requireNonNull(protocol, "protocol");
    requireNonNull(target, "target");
    requireNonNull(startedAt, "startedAt");
    requireNonNull(source, "source");
  }

  /**
   * The client's network source.
   *
   * @param ip client address
   * @param port client port
   * @param tls whether the client connection is TLS-protected
   */
  public record Source(String ip, int port, boolean tls) {}
}
