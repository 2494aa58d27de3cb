package io.portcullis.audit;

import static java.util.Objects.requireNonNull;

import io.portcullis.document.Identity;
import io.portcullis.document.SessionInfo;
import java.time.Instant;
import java.util.List;

/**
 * A session began: who, from where, to what. Never a token or a password.
 *
 * @param sessionId gateway-issued session id
 * @param protocol {@code postgres}, {@code ssh}, {@code kubernetes} or {@code http}
 * @param target the configured target name
 * @param startedAt when the client connected
 * @param identity the verified identity
 * @param source the client's network source
 * @param terminal the terminal of an interactive session (SSH), or null
 */
public record SessionStarted(
    String sessionId,
    String protocol,
    String target,
    Instant startedAt,
    Principal identity,
    Source source,
    Terminal terminal)
    implements AuditEvent {

  public SessionStarted {
    requireNonNull(sessionId, "sessionId");
    requireNonNull(protocol, "protocol");
    requireNonNull(identity, "identity");
    requireNonNull(source, "source");
  }

  /** The event for a session as the request document describes it. */
  public static SessionStarted of(SessionInfo session, Identity identity, String clientCertSha256) {
    return new SessionStarted(session.id(), session.protocol(), session.target(), session.startedAt(),
        new Principal(identity.issuer(), identity.subject(), identity.groups(), identity.method()),
        new Source(session.source().ip(), session.source().port(), session.source().tls(),
            clientCertSha256),
        null);
  }

  /** This event with a terminal, for interactive sessions. */
  public SessionStarted withTerminal(Terminal terminal) {
    return new SessionStarted(sessionId, protocol, target, startedAt, identity, source, terminal);
  }

  /**
   * Who the session belongs to.
   *
   * @param issuer the token's issuer
   * @param subject the token's subject
   * @param groups the identity's groups
   * @param method how the identity was established ({@code oidc_jwt})
   */
  public record Principal(String issuer, String subject, List<String> groups, String method) {
    public Principal {
      requireNonNull(subject, "subject");
      groups = groups == null ? List.of() : List.copyOf(groups);
    }
  }

  /**
   * Where the client connects from.
   *
   * @param ip client address
   * @param port client port
   * @param tls whether the client connection is TLS-protected
   * @param clientCertSha256 SHA-256 fingerprint (hex) of the client certificate, or null
   */
  public record Source(String ip, int port, boolean tls, String clientCertSha256) {}

  /**
   * An interactive terminal, for asciicast export.
   *
   * @param width columns
   * @param height rows
   * @param term the TERM name, or null
   */
  public record Terminal(int width, int height, String term) {}
}
