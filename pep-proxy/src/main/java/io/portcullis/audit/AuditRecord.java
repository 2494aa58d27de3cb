package io.portcullis.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One sealed record of the audit log: an event with its place in the hash chain.
 *
 * @param seq position in the log, from 1
 * @param ts when the gateway recorded it
 * @param prev the previous record's hash (64 zeros for seq 1)
 * @param event what happened
 * @param hash this record's hash (see the package documentation)
 */
public record AuditRecord(long seq, Instant ts, String prev, AuditEvent event, String hash) {

  public AuditRecord {
    requireNonNull(ts, "ts");
    requireNonNull(prev, "prev");
    requireNonNull(event, "event");
  }

  /** The event's kind. */
  public String kind() {
    return AuditEvent.kind(event);
  }
}
