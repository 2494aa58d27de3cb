package io.portcullis.pg;

/**
 * A response the gateway expects from the server, in the order it sent the messages that cause
 * them. The server answers strictly in order, so the head of the session's queue always says which
 * request the next result rows belong to, and therefore which masking rules apply to them.
 */
sealed interface PgExpected {

  /** The results of a simple Query, until its ReadyForQuery. */
  final class QueryResults implements PgExpected {
    final PgMaskRules rules;
    /** What came back, for the audit log; null for a denied query's stand-in. */
    final PgTally tally;
    /** Which statement of the query the server is answering now. */
    int statement;

    QueryResults(PgMaskRules rules, PgTally tally) {
      this.rules = rules;
      this.tally = tally;
    }
  }

  /**
   * The answer to a Describe: ParameterDescription and RowDescription or NoData.
   *
   * @param portal whether a portal (not a statement) is described
   * @param injected whether the gateway sent it itself, so its answer never reaches the client
   */
  record Describe(boolean portal, boolean injected) implements PgExpected {}

  /** The rows of one Execute, until CommandComplete, PortalSuspended or EmptyQueryResponse. */
  final class ExecuteResults implements PgExpected {
    final PgMaskRules rules;
    /** What came back, for the audit log. */
    final PgTally tally;
    /** The row description the gateway asked for just before, when the rows must be masked. */
    io.portcullis.protocol.pg.RowDescription description;
    /** Whether the injected Describe was answered (with a RowDescription or NoData). */
    boolean described;
    /** Whether the masking of these rows is set up (rows that need none pass as they are). */
    boolean planned;

    ExecuteResults(PgMaskRules rules, PgTally tally) {
      this.rules = rules;
      this.tally = tally;
    }
  }

  /** A Sync's ReadyForQuery; after an error the server skips everything before it. */
  record SyncPoint() implements PgExpected {}
}
