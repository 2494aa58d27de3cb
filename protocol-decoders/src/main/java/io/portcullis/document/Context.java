package io.portcullis.document;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Volatile facts about a request. A policy that reads any of these must not mark its decision
 * cacheable.
 *
 * @param now when the gateway built the document
 * @param stats recent activity of the identity, or null when the gateway does not track it
 * @param approval a granted approval for this request, or null
 */
public record Context(Instant now, Stats stats, Object approval) {

  public Context {
    requireNonNull(now, "now");
  }

  /** A context with only the current time. */
  public static Context at(Instant now) {
    return new Context(now, null, null);
  }

  /**
   * Recent activity of the requesting identity.
   *
   * @param requestsLastMinute requests decided in the last minute
   * @param rowsReturnedLastMinute rows returned in the last minute
   */
  public record Stats(long requestsLastMinute, long rowsReturnedLastMinute) {}
}
