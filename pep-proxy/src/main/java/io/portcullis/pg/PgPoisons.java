package io.portcullis.pg;

import io.netty.buffer.ByteBuf;
import io.portcullis.policy.PolicyVerdict;
import io.portcullis.protocol.pg.Bind;
import io.portcullis.protocol.pg.Query;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Replaces a denied message with one that is certain to fail on the server, so that the server
 * itself reports the error at exactly that place in the stream and aborts the transaction as a
 * permission error would. The server's error is rewritten into the policy's on the way back.
 */
final class PgPoisons {

  private static final String PREFIX = "portcullis_denied_"
      + HexFormat.of().formatHex(SecureRandom.getSeed(6)) + "_";
  private static final short[] NO_FORMATS = new short[0];

  private final PgSession session;
  private long counter;

  PgPoisons(PgSession session) {
    this.session = session;
  }

  /**
   * In place of a Query or FunctionCall: a Query executing a prepared statement that does not
   * exist. It ends with its own ReadyForQuery, as the replaced message would.
   */
  void query(PolicyVerdict verdict) {
    String token = nextToken();
    session.syncPointsForwarded++;
    session.poisons.add(new PgSession.Poison(token, verdict, session.syncPointsForwarded));
    session.expected.add(new PgExpected.QueryResults(PgMaskRules.NONE, null));
    write(new Query("EXECUTE " + token));
  }

  /**
   * In place of an extended-protocol message: a Bind of a statement that does not exist. The
   * server then discards until Sync, and so does the gateway.
   */
  void extended(PolicyVerdict verdict) {
    String token = nextToken();
    session.poisons.add(new PgSession.Poison(token, verdict, session.syncPointsForwarded + 1));
    session.discardUntilSync = true;
    write(new Bind("", token, NO_FORMATS, List.of(), NO_FORMATS));
  }

  private String nextToken() {
    return PREFIX + session.gatewayProcessId + "_" + (++counter);
  }

  private void write(io.portcullis.protocol.pg.FrontendMessage message) {
    ByteBuf out = session.server.alloc().buffer();
    message.encode(out);
    session.server.write(out, session.server.voidPromise());
  }
}
