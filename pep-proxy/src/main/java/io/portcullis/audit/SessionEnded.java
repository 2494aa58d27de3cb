package io.portcullis.audit;

import static java.util.Objects.requireNonNull;

/**
 * A session ended.
 *
 * @param sessionId the session
 * @param durationMs how long it lasted
 * @param reason why it ended: {@code client_closed}, {@code server_closed}, {@code token_expired},
 *     {@code protocol_error}, {@code gateway_shutdown}, {@code audit_unavailable}, ...
 * @param detail more about why, or null
 * @param requests requests decided
 * @param allowed requests allowed
 * @param denied requests denied
 */
public record SessionEnded(
    String sessionId, long durationMs, String reason, String detail, long requests, long allowed,
    long denied)
    implements AuditEvent {

  public SessionEnded {
    requireNonNull(sessionId, "sessionId");
    requireNonNull(reason, "reason");
  }
}
