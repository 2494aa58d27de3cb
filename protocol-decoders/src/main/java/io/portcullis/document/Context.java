package io.portcullis.document;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * Volatile facts about a request. A policy that reads any of these must not mark its decision
 * cacheable.
 *
 * @param now when the gateway built the document
 * @param stats recent activity of the identity, or null when the gateway does not track it
 * @param approval a granted approval for this request, or null
 */
public record Context(Instant now, Stats stats, GrantedApproval approval) {

  public Context {
    requireNonNull(now, "now");
  }

  /** A context with only the current time. */
  public static Context at(Instant now) {
    return new Context(now, null, null);
  }

  /** The same context, carrying an approval a person granted for this very request. */
  public Context withApproval(GrantedApproval granted) {
    return new Context(now, stats, granted);
  }

  /**
   * An approval a person granted for this request, for policies that re-check it.
   *
   * @param id the approval's id ({@code apr_...})
   * @param state always {@code approved}
   * @param approvedBy the approver's subject
   * @param approvedAt when it was approved
   * @param comment the approver's comment, or null
   */
  public record GrantedApproval(String id, String state, String approvedBy, Instant approvedAt,
      String comment) {
    public GrantedApproval {
      requireNonNull(id, "id");
      requireNonNull(state, "state");
      requireNonNull(approvedBy, "approvedBy");
      requireNonNull(approvedAt, "approvedAt");
    }
  }

  /**
   * Recent activity of the requesting identity (subject and issuer) on every target, then the same
   * counters for this identity on this session's target, and where it has connected from. Counts
   * are of what happened before this request: the request being decided is not in them yet.
   * "Last minute" counts in 5 s steps (the last 55 to 60 s), "last hour" in 5 min steps.
   *
   * @param requestsLastMinute requests decided in the last minute
   * @param rowsReturnedLastMinute rows returned (result rows and COPY rows relayed) in the last minute
   * @param requestsLastHour requests decided in the last hour
   * @param rowsReturnedLastHour rows returned in the last hour
   * @param writesLastMinute requests holding a write or DDL statement, last minute
   * @param writesLastHour the same, last hour
   * @param deniedLastMinute requests denied in the last minute
   * @param deniedLastHour requests denied in the last hour
   * @param bytesReturnedLastMinute bytes of result rows relayed in the last minute
   * @param bytesReturnedLastHour the same, last hour
   * @param tablesLastMinute distinct tables named by allowed requests in the last minute
   * @param tablesLastHour the same, last hour
   * @param target the same counters for this identity on this session's target only
   * @param newSource whether this session's source address had not been seen for this identity
   *     before this session (the gateway remembers addresses while it tracks the identity)
   * @param sources the source addresses seen for this identity, this one included, oldest first
   */
  public record Stats(
      long requestsLastMinute,
      long rowsReturnedLastMinute,
      long requestsLastHour,
      long rowsReturnedLastHour,
      long writesLastMinute,
      long writesLastHour,
      long deniedLastMinute,
      long deniedLastHour,
      long bytesReturnedLastMinute,
      long bytesReturnedLastHour,
      long tablesLastMinute,
      long tablesLastHour,
      Counts target,
      boolean newSource,
      List<SourceSeen> sources) {

    /**
     * The names of the identity's counters, as JSON spells them, for guards on cached decisions;
     * {@code new_source} counts as 1 when true, else 0.
     */
    public static final java.util.Set<String> COUNTERS = java.util.Set.of("new_source", "requests_last_minute",
        "rows_returned_last_minute", "requests_last_hour", "rows_returned_last_hour",
        "writes_last_minute", "writes_last_hour", "denied_last_minute", "denied_last_hour",
        "bytes_returned_last_minute", "bytes_returned_last_hour", "tables_last_minute",
        "tables_last_hour");

    public Stats {
      sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /**
     * The identity's counter named as in JSON ({@code requests_last_minute}, ...).
     *
     * @throws IllegalArgumentException for a name not in {@link #COUNTERS}
     */
    public long counter(String name) {
      return switch (name) {
        case "new_source" -> newSource ? 1 : 0;
        case "requests_last_minute" -> requestsLastMinute;
        case "rows_returned_last_minute" -> rowsReturnedLastMinute;
        case "requests_last_hour" -> requestsLastHour;
        case "rows_returned_last_hour" -> rowsReturnedLastHour;
        case "writes_last_minute" -> writesLastMinute;
        case "writes_last_hour" -> writesLastHour;
        case "denied_last_minute" -> deniedLastMinute;
        case "denied_last_hour" -> deniedLastHour;
        case "bytes_returned_last_minute" -> bytesReturnedLastMinute;
        case "bytes_returned_last_hour" -> bytesReturnedLastHour;
        case "tables_last_minute" -> tablesLastMinute;
        case "tables_last_hour" -> tablesLastHour;
        default -> throw new IllegalArgumentException("stats counter: " + name + " (expected: one of "
            + new java.util.TreeSet<>(COUNTERS) + ")");
      };
    }

    /** Stats from the identity's counters, its counters on the target, and its sources. */
    public static Stats of(Counts identity, Counts target, boolean newSource, List<SourceSeen> sources) {
      requireNonNull(identity, "identity");
      return new Stats(identity.requestsLastMinute(), identity.rowsReturnedLastMinute(),
          identity.requestsLastHour(), identity.rowsReturnedLastHour(), identity.writesLastMinute(),
          identity.writesLastHour(), identity.deniedLastMinute(), identity.deniedLastHour(),
          identity.bytesReturnedLastMinute(), identity.bytesReturnedLastHour(),
          identity.tablesLastMinute(), identity.tablesLastHour(), target, newSource, sources);
    }
  }

  /** Activity counters over the last minute and the last hour; fields as in {@link Stats}. */
  public record Counts(
      long requestsLastMinute,
      long rowsReturnedLastMinute,
      long requestsLastHour,
      long rowsReturnedLastHour,
      long writesLastMinute,
      long writesLastHour,
      long deniedLastMinute,
      long deniedLastHour,
      long bytesReturnedLastMinute,
      long bytesReturnedLastHour,
      long tablesLastMinute,
      long tablesLastHour) {

    /** No activity. */
    public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /**
   * A source address an identity connected from.
   *
   * @param ip the client address
   * @param firstSeen when a session from it started first
   * @param lastSeen when a session from it started last
   */
  public record SourceSeen(String ip, Instant firstSeen, Instant lastSeen) {
    public SourceSeen {
      requireNonNull(ip, "ip");
      requireNonNull(firstSeen, "firstSeen");
      requireNonNull(lastSeen, "lastSeen");
    }
  }

  /** The same context, carrying the identity's recent activity. */
  public Context withStats(Stats recent) {
    return new Context(now, recent, approval);
  }
}
