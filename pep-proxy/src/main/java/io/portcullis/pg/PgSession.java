package io.portcullis.pg;

import io.netty.channel.Channel;
import io.portcullis.config.TargetSettings;
import io.portcullis.document.Identity;
import io.portcullis.document.SessionInfo;
import io.portcullis.policy.PolicyVerdict;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Everything one client connection knows after authentication. Touched only on the client
 * channel's event loop (the server channel shares it), so it needs no locks.
 */
final class PgSession {

  /**
   * A statement the gateway replaced with one that must fail, and the decision to report instead.
   *
   * @param token the name of the missing prepared statement that makes the server fail
   * @param verdict the denial to report
   * @param closingReadyForQuery the count of ReadyForQuery after which the server can no longer
   *     report it (it was discarded because of an earlier error)
   */
  record Poison(String token, PolicyVerdict verdict, long closingReadyForQuery) {}

  final PgServices services;
  final SessionInfo info;
  final Identity identity;
  final TargetSettings target;
  final Channel client;
  final Channel server;
  final int gatewayProcessId;

  /**
   * A portal the gateway let the client bind.
   *
   * @param statement the prepared statement it was bound from
   * @param allowed what was enforced for that statement
   */
  record Portal(String statement, PgEnforced allowed) {}

  /** Allowed prepared statements by name ("" is the unnamed one); a name absent here never binds. */
  final Map<String, PgEnforced> statements = new HashMap<>();
  /**
   * Named statements forwarded in an allowed Parse and not closed since: the server may hold them
   * under that name even when {@code statements} no longer lets them bind (an approved statement
   * after its one Bind), and it refuses a Parse of a name it holds, keeping the old statement.
   */
  final Set<String> serverStatements = new HashSet<>();
  /** Bound portals by name. */
  final Map<String, Portal> portals = new HashMap<>();
  /** The approval this session's held statement waits for, or null. */
  volatile String heldApproval;
  /** Poisons whose server error has not come back yet, oldest first. */
  final ArrayDeque<Poison> poisons = new ArrayDeque<>();

  /** Responses the server owes, in order: they say which request result rows belong to. */
  final PgExpectedQueue expected = new PgExpectedQueue();
  /** While the catalog is asked about a row description, the server is not read. */
  boolean catalogPending;

  /** After a denial inside an extended-protocol batch: drop client messages until Sync. */
  boolean discardUntilSync;
  /** Transaction status from the server's last ReadyForQuery. */
  byte transactionStatus = 'I';
  /** Messages sent to the server that each end with one ReadyForQuery (Query, Sync, ...). */
  long syncPointsForwarded;
  /** ReadyForQuery messages received from the server. */
  long readyForQueryReceived;

  long allowed;
  long denied;
  /** Requests decided so far; numbers them in the audit log. */
  long requests;
  /** Why the session ended, for the audit log; set where the gateway ends it. */
  String endReason = "client_closed";
  /** More about why, or null. */
  String endDetail;
  /** What this session reports to monitoring; set as the session starts. */
  io.portcullis.monitor.SessionMonitor monitor;
  /** Ends the session when its token expires; cancelled when the session ends first. */
  io.netty.util.concurrent.ScheduledFuture<?> tokenExpiry;

  PgSession(
      PgServices services,
      SessionInfo info,
      Identity identity,
      TargetSettings target,
      Channel client,
      Channel server,
      int gatewayProcessId) {
    this.services = services;
    this.info = info;
    this.identity = identity;
    this.target = target;
    this.client = client;
    this.server = server;
    this.gatewayProcessId = gatewayProcessId;
  }

  /** Reads from the server only while the client can take more and no catalog lookup is pending. */
  void updateServerAutoRead() {
    server.config().setAutoRead(client.isWritable() && !catalogPending);
  }

  /** Called for every ReadyForQuery: poisons older than it can no longer be answered. */
  void onReadyForQuery(byte status) {
    transactionStatus = status;
    readyForQueryReceived++;
    while (!poisons.isEmpty() && poisons.peekFirst().closingReadyForQuery() <= readyForQueryReceived) {
      poisons.pollFirst();
    }
  }

  /** Finds and removes the poison whose token appears in a server error message, if any. */
  Poison takePoison(String serverMessage) {
    if (serverMessage == null) {
      return null;
    }
    for (var it = poisons.iterator(); it.hasNext(); ) {
      Poison poison = it.next();
      if (serverMessage.contains(poison.token())) {
        it.remove();
        return poison;
      }
    }
    return null;
  }
}
