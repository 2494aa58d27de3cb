package io.portcullis.audit;

import static java.util.Objects.requireNonNull;

/**
 * What came back for a request: counts, error, and with {@code record: "full"} the response as
 * the client received it (masked), cut at the configured size.
 *
 * @param sessionId the session
 * @param requestNo the request's number within the session, as in {@link RequestDecided}
 * @param rows rows returned or affected, or null when unknown
 * @param bytes response bytes sent to the client
 * @param maskedValues values the gateway masked
 * @param error the error the client received, or null
 * @param durationUs from the decision to the end of the response, in microseconds
 * @param capture the captured response text, or null when not recorded in full
 * @param captureTruncated whether the capture was cut at the configured size
 */
public record RequestCompleted(
    String sessionId,
    long requestNo,
    Long rows,
    long bytes,
    long maskedValues,
    String error,
    long durationUs,
    String capture,
    boolean captureTruncated)
    implements AuditEvent {

  public RequestCompleted {
    requireNonNull(sessionId, "sessionId");
  }
}
