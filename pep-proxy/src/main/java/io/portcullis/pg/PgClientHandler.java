package io.portcullis.pg;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.document.Context;
import io.portcullis.document.RequestDocument;
import io.portcullis.document.SqlRequest;
import io.portcullis.log.DecisionLine;
import io.portcullis.policy.CacheKey;
import io.portcullis.policy.Decision;
import io.portcullis.policy.PolicyVerdict;
import io.portcullis.protocol.pg.Bind;
import io.portcullis.protocol.pg.Parse;
import io.portcullis.protocol.pg.Execute;
import io.portcullis.protocol.pg.Sync;
import io.portcullis.protocol.pg.Describe;
import io.portcullis.protocol.pg.Flush;
import io.portcullis.protocol.pg.CopyData;
import io.portcullis.protocol.pg.CopyDone;
import io.portcullis.protocol.pg.CopyFail;
import io.portcullis.protocol.pg.FunctionCall;
import io.portcullis.protocol.pg.Terminate;
import io.portcullis.protocol.pg.PasswordMessage;
import io.portcullis.protocol.pg.SASLInitialResponse;
import io.portcullis.protocol.pg.SASLResponse;
import io.portcullis.protocol.pg.Close;
import io.portcullis.protocol.pg.FrontendMessage;
import io.portcullis.protocol.pg.FrontendMessages;
import io.portcullis.protocol.pg.PgFrame;
import io.portcullis.protocol.pg.PgProtocolException;
import io.portcullis.protocol.pg.Query;
import io.portcullis.sql.SqlAnalysis;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides every frontend message of an authenticated session before it reaches the server.
 *
 * <p>Messages are handled strictly in order. While a decision is pending the client channel stops
 * reading; messages already decoded wait in a queue and the channel reads again once the queue is
 * empty. A Query is decided as a whole (one denied statement rejects the message); a Parse is
 * decided and its verdict bound to the statement name, which Bind and Execute then require.
 */
final class PgClientHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(PgClientHandler.class);

  private final PgSession session;
  private final PgPoisons poisons;
  private final ArrayDeque<PgFrame> queue = new ArrayDeque<>();
  private boolean awaitingDecision;
  private boolean serverNeedsFlush;

  PgClientHandler(PgSession session) {
    this.session = session;
    this.poisons = new PgPoisons(session);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof PgFrame frame)) {
      ReferenceCountUtil.release(msg);
      throw new IllegalStateException("unexpected message: " + msg.getClass().getName());
    }
    queue.add(frame);
    drain();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flushServer();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // The server side reads only while the client can take more.
    session.server.config().setAutoRead(ctx.channel().isWritable());
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseQueue();
    if (session.tokenExpiry != null) {
      session.tokenExpiry.cancel(false);
    }
    session.server.close();
    session.services.cancels().unregister(session.gatewayProcessId);
    log.info("session end id={} subject={} target={} allowed={} denied={} reason=client_closed",
        session.info.id(), session.identity.subject(), session.target.name(),
        session.allowed, session.denied);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(cause);
  }

  /** Ends the session after an error: a protocol violation, or a failure of the gateway itself. */
  private void fail(Throwable cause) {
    releaseQueue();
    if (PgErrors.unwrap(cause) instanceof PgProtocolException e) {
      log.warn("session {}: closing: protocol violation from client: {}", session.info.id(), e.getMessage());
      closeWithFatal(e.sqlState(), "protocol violation: " + e.getMessage());
    } else {
      log.warn("session {}: closing: {}", session.info.id(), cause.toString(), cause);
      closeWithFatal(PgErrors.PROTOCOL_VIOLATION, "internal gateway error; the session is closed");
    }
  }

  void closeWithFatal(String sqlState, String message) {
    PgErrors.closeWithFatal(session.client, sqlState, message);
    session.server.close();
  }

  private void drain() {
    PgFrame frame;
    while (!awaitingDecision && (frame = queue.poll()) != null) {
      handle(frame);
    }
    flushServer();
    updateAutoRead();
  }

  /** Reads from the client only when nothing waits for a decision and the server can take more. */
  void updateAutoRead() {
    session.client.config().setAutoRead(!awaitingDecision && queue.isEmpty() && session.server.isWritable());
  }

  private void releaseQueue() {
    PgFrame frame;
    while ((frame = queue.poll()) != null) {
      frame.release();
    }
  }

  /** Handles one frame; takes ownership of it. */
  private void handle(PgFrame frame) {
    FrontendMessage message;
    try {
      message = FrontendMessages.decode(frame.type(), frame.payload());
    } catch (RuntimeException e) {
      frame.release();
      throw e;
    }
    if (session.discardUntilSync && !(message instanceof Sync)
        && !(message instanceof Terminate)) {
      // The server is discarding too, after the error we caused; nothing of this batch may run.
      frame.release();
      return;
    }
    switch (message) {
      case Query q -> onQuery(q, frame);
      case Parse p -> onParse(p, frame);
      case Bind b -> onBind(b, frame);
      case Execute e -> onExecute(e, frame);
      case Close c -> onClose(c, frame);
      case Sync s -> onSync(frame);
      case Describe d -> forward(frame);
      case Flush f -> forward(frame);
      case CopyData d -> forward(frame);
      case CopyDone d -> forward(frame);
      case CopyFail f -> forward(frame);
      case FunctionCall f -> onFunctionCall(frame);
      case Terminate t -> onTerminate(frame);
      case PasswordMessage p -> unexpected(frame, "PasswordMessage");
      case SASLInitialResponse s -> unexpected(frame, "SASLInitialResponse");
      case SASLResponse s -> unexpected(frame, "SASLResponse");
    }
  }

  private void onQuery(Query query, PgFrame frame) {
    String sql = query.sql();
    SqlAnalysis analysis = session.services.analyzer().analyze(sql);
    decide(sql, analysis, "query", null, frame, verdict -> {
      if (verdict.allowed()) {
        session.syncPointsForwarded++;
        forward(frame);
      } else {
        frame.release();
        poisons.query(verdict);
        serverNeedsFlush = true;
      }
    });
  }

  private void onParse(Parse parse, PgFrame frame) {
    String name = parse.statement();
    SqlAnalysis analysis = session.services.analyzer().analyze(parse.query());
    decide(parse.query(), analysis, "parse", name, frame, verdict -> {
      if (verdict.allowed()) {
        session.statements.put(name, verdict);
        forward(frame);
      } else {
        frame.release();
        session.statements.remove(name);
        poisons.extended(verdict);
        serverNeedsFlush = true;
      }
    });
  }

  private void onBind(Bind bind, PgFrame frame) {
    if (!session.statements.containsKey(bind.statement())) {
      frame.release();
      denyLocally("prepared statement \"" + bind.statement() + "\" was not allowed by the gateway",
          "bind", true);
      return;
    }
    session.portals.put(bind.portal(), bind.statement());
    forward(frame);
  }

  private void onExecute(Execute execute, PgFrame frame) {
    String statement = session.portals.get(execute.portal());
    if (statement == null || !session.statements.containsKey(statement)) {
      frame.release();
      denyLocally("portal \"" + execute.portal() + "\" was not bound by the gateway", "execute", true);
      return;
    }
    forward(frame);
  }

  private void onClose(Close close, PgFrame frame) {
    if (close.kind() == 'S') {
      session.statements.remove(close.name());
      session.portals.values().removeIf(close.name()::equals);
    } else {
      session.portals.remove(close.name());
    }
    forward(frame);
  }

  private void onSync(PgFrame frame) {
    session.discardUntilSync = false;
    session.syncPointsForwarded++;
    forward(frame);
  }

  private void onFunctionCall(PgFrame frame) {
    frame.release();
    denyLocally("FunctionCall messages are not allowed through the gateway", "function_call", false);
  }

  private void onTerminate(PgFrame frame) {
    session.server.writeAndFlush(frame.frame().retainedDuplicate())
        .addListener(ChannelFutureListener.CLOSE);
    frame.release();
    session.client.close();
  }

  private void unexpected(PgFrame frame, String what) {
    frame.release();
    throw new PgProtocolException("unexpected " + what + " after authentication");
  }

  /** A denial the gateway decides itself, without asking the policy. */
  private void denyLocally(String reason, String message, boolean extended) {
    PolicyVerdict verdict = new PolicyVerdict(Decision.deny(reason), null, null,
        PolicyVerdict.Source.FAILURE, 0);
    logDecision(null, null, null, message, verdict);
    session.denied++;
    if (extended) {
      poisons.extended(verdict);
    } else {
      poisons.query(verdict);
    }
    serverNeedsFlush = true;
  }

  private void decide(String sql, SqlAnalysis analysis, String message, String statementName,
      PgFrame frame, Consumer<PolicyVerdict> then) {
    var services = session.services;
    SqlRequest request = new SqlRequest("sql", sql, analysis.statements(), session.target.database(),
        message, statementName, analysis.fingerprint());
    RequestDocument document = new RequestDocument(RequestDocument.CURRENT_VERSION, session.info,
        session.identity, request, Context.at(services.clock().instant()));
    CacheKey key = new CacheKey(session.identity.subject(), session.identity.groups(),
        session.target.name(), session.target.database(), analysis.fingerprint(), sql);
    CompletableFuture<PolicyVerdict> future = services.policy().decide(document, key);
    Consumer<PolicyVerdict> apply = decided -> {
      PolicyVerdict verdict = enforceable(decided) ? decided : asDenial(decided);
      logDecision(analysis.fingerprint(), analysis.normalized(), sql, message, verdict);
      if (verdict.allowed()) {
        session.allowed++;
      } else {
        session.denied++;
      }
      then.accept(verdict);
    };
    if (future.isDone()) {
      apply.accept(future.join());
      return;
    }
    awaitingDecision = true;
    session.client.config().setAutoRead(false);
    future.whenComplete((verdict, error) -> session.client.eventLoop().execute(() -> {
      awaitingDecision = false;
      if (!session.client.isActive()) {
        frame.release();
        releaseQueue();
        return;
      }
      try {
        apply.accept(verdict != null ? verdict
            : PolicyVerdict.failure("policy decision unavailable: " + error, 0));
        drain();
      } catch (RuntimeException e) {
        // Outside channelRead, so Netty would not call exceptionCaught: end the session here.
        fail(e);
      }
    }));
  }

  /** Whether the gateway can enforce this verdict as an allow; anything it cannot do is a deny. */
  private static boolean enforceable(PolicyVerdict verdict) {
    Decision decision = verdict.decision();
    return decision.allow()
        && decision.mask().isEmpty()
        && (decision.approval() == null || !decision.approval().required());
  }

  /** A deny in place of an allow that asks for what this gateway cannot yet enforce (fail closed). */
  private static PolicyVerdict asDenial(PolicyVerdict verdict) {
    if (!verdict.decision().allow()) {
      return verdict;
    }
    return new PolicyVerdict(
        Decision.deny("the policy asks for masking or approval, which this gateway cannot enforce yet"),
        verdict.decisionId(), verdict.revision(), verdict.source(), verdict.latencyNanos());
  }

  private void logDecision(String fingerprint, String normalized, String sql, String message,
      PolicyVerdict verdict) {
    Decision decision = verdict.decision();
    session.services.decisionLog().record(new DecisionLine(
        session.services.clock().instant(), session.info.id(), session.info.protocol(),
        session.target.name(), session.identity.subject(), message,
        DecisionLine.describeSql(normalized, sql), fingerprint, decision.allow(), decision.reasons(),
        verdict.source().name().toLowerCase(java.util.Locale.ROOT), verdict.decisionId(),
        verdict.revision(), verdict.latencyNanos() / 1000));
  }

  private void forward(PgFrame frame) {
    ByteBuf bytes = frame.frame().retainedDuplicate();
    frame.release();
    session.server.write(bytes, session.server.voidPromise());
    serverNeedsFlush = true;
  }

  private void flushServer() {
    if (serverNeedsFlush) {
      serverNeedsFlush = false;
      session.server.flush();
    }
  }
}
