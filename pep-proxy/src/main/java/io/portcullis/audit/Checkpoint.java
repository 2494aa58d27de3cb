package io.portcullis.audit;

/**
 * A signed statement that the chain up to {@code coversSeq} ends in {@code coversHash}.
 *
 * @param coversSeq the last record covered: this record's seq minus one
 * @param coversHash that record's hash: this record's prev
 * @param keyId the signing key's id (first 16 hex of SHA-256 of its encoded public key)
 * @param signature Ed25519 signature, base64
 * @param trigger {@code records}, {@code interval}, {@code rotation} or {@code shutdown}
 */
public record Checkpoint(long coversSeq, String coversHash, String keyId, String signature, String trigger)
    implements AuditEvent {

  @Override
  @com.fasterxml.jackson.annotation.JsonIgnore
  public String sessionId() {
    return null;
  }
}
