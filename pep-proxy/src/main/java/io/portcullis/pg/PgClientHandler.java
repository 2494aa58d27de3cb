package io.portcullis.pg;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.audit.AuditRecorder;
import io.portcullis.audit.SessionEnded;
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
  private final PgApprovalHold approvalHold;
  private final ArrayDeque<PgFrame> queue = new ArrayDeque<>();
  private boolean awaitingDecision;
  private boolean serverNeedsFlush;

  PgClientHandler(PgSession session) {
    this.session = session;
    this.poisons = new PgPoisons(session);
    this.approvalHold = new PgApprovalHold(session);
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
    session.updateServerAutoRead();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseQueue();
    if (session.tokenExpiry != null) {
      session.tokenExpiry.cancel(false);
    }
    session.server.close();
    String held = session.heldApproval;
    if (held != null) {
      session.services.approvals().cancel(held, "client disconnected");
    }
    session.services.cancels().unregister(session.gatewayProcessId);
    long durationMs = java.time.Duration.between(session.info.startedAt(), session.services.clock().instant())
        .toMillis();
    if (session.monitor != null) {
      session.monitor.closed(session.endReason);
    }
    session.services.audit().sessionEnded(new SessionEnded(session.info.id(), durationMs,
        session.endReason, session.endDetail, session.requests, session.allowed, session.denied))
        .exceptionally(e -> {
          log.error("session {}: its end could not be recorded: {}", session.info.id(), e.getMessage());
          return null;
        });
    log.info("session end id={} subject={} target={} allowed={} denied={} reason={}",
        session.info.id(), session.identity.subject(), session.target.name(),
        session.allowed, session.denied, session.endReason);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(cause);
  }

  /** Ends the session after an error: a protocol violation, or a failure of the gateway itself. */
  private void fail(Throwable cause) {
    releaseQueue();
    session.endReason = "protocol_error";
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
      case Describe d -> {
        session.expected.add(new PgExpected.Describe(d.kind() == 'P', false));
        forward(frame);
      }
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
    decide(sql, analysis, "query", null, frame, enforced -> {
      if (enforced.allowed()) {
        session.syncPointsForwarded++;
        session.expected.add(new PgExpected.QueryResults(enforced.rules(), enforced.tally(session)));
        afterAllowed(analysis);
        forward(frame);
      } else {
        frame.release();
        poisons.query(enforced.verdict());
        serverNeedsFlush = true;
      }
    });
  }

  private void onParse(Parse parse, PgFrame frame) {
    String name = parse.statement();
    if (!name.isEmpty() && session.serverStatements.contains(name)) {
      // The server would refuse this Parse and keep the statement it holds; a later Bind of the
      // name would then run that one under this one's verdict: its masks, or no approval.
      frame.release();
      denyLocally("prepared statement \"" + name + "\" already exists: Close it before parsing"
          + " another statement under its name", "parse", true);
      return;
    }
    SqlAnalysis analysis = session.services.analyzer().analyze(parse.query());
    decide(parse.query(), analysis, "parse", name, frame, enforced -> {
      if (enforced.allowed()) {
        session.statements.put(name, enforced);
        if (!name.isEmpty()) {
          session.serverStatements.add(name);
        }
        afterAllowed(analysis);
        forward(frame);
      } else {
        frame.release();
        session.statements.remove(name);
        poisons.extended(enforced.verdict());
        serverNeedsFlush = true;
      }
    });
  }

  private void onBind(Bind bind, PgFrame frame) {
    PgEnforced allowed = session.statements.get(bind.statement());
    if (allowed == null) {
      frame.release();
      denyLocally("prepared statement \"" + bind.statement() + "\" was not allowed by the gateway",
          "bind", true);
      return;
    }
    if (allowed.once()) {
      // An approved statement runs once: a second Bind needs a new approval.
      session.statements.remove(bind.statement());
    }
    session.portals.put(bind.portal(), new PgSession.Portal(bind.statement(), allowed));
    forward(frame);
  }

  private void onExecute(Execute execute, PgFrame frame) {
    PgSession.Portal portal = session.portals.get(execute.portal());
    if (portal == null) {
      frame.release();
      denyLocally("portal \"" + execute.portal() + "\" was not bound by the gateway", "execute", true);
      return;
    }
    PgMaskRules rules = portal.allowed().rules();
    if (!rules.isEmpty()) {
      // Ask for the portal's row description right before its rows: it names each field's
      // table and column and carries the result formats the Bind chose. The answer is not relayed.
      ByteBuf describe = session.server.alloc().buffer();
      new Describe((byte) 'P', execute.portal()).encode(describe);
      session.server.write(describe, session.server.voidPromise());
      session.expected.add(new PgExpected.Describe(true, true));
    }
    session.expected.add(new PgExpected.ExecuteResults(rules, portal.allowed().tally(session)));
    forward(frame);
  }

  /** A DDL statement may change the tables the catalog cache names. */
  private void afterAllowed(SqlAnalysis analysis) {
    for (var statement : analysis.statements()) {
      if ("ddl".equals(statement.type())) {
        session.services.catalog().invalidate(session.target);
        return;
      }
    }
  }

  private void onClose(Close close, PgFrame frame) {
    if (close.kind() == 'S') {
      session.statements.remove(close.name());
      session.serverStatements.remove(close.name());
      session.portals.values().removeIf(p -> p.statement().equals(close.name()));
    } else {
      session.portals.remove(close.name());
    }
    forward(frame);
  }

  private void onSync(PgFrame frame) {
    session.discardUntilSync = false;
    session.syncPointsForwarded++;
    session.expected.add(new PgExpected.SyncPoint());
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
        PolicyVerdict.Source.GATEWAY, 0);
    logDecision(null, null, null, message, verdict);
    session.denied++;
    session.monitor.decided(session.requests, null, verdict, false, false, java.util.List.of(), null);
    if (extended) {
      poisons.extended(verdict);
    } else {
      poisons.query(verdict);
    }
    serverNeedsFlush = true;
  }

  private void decide(String sql, SqlAnalysis analysis, String message, String statementName,
      PgFrame frame, Consumer<PgEnforced> then) {
    var services = session.services;
    long requestNo = ++session.requests;
    SqlRequest request = new SqlRequest("sql", sql, analysis.statements(), session.target.database(),
        message, statementName, analysis.fingerprint());
    RequestDocument document = new RequestDocument(RequestDocument.CURRENT_VERSION, session.info,
        session.identity, request, Context.at(services.clock().instant()).withStats(session.monitor.stats()));
    CacheKey key = new CacheKey(session.identity.subject(), session.identity.groups(),
        session.target.name(), session.target.database(), analysis.fingerprint(), sql);
    CompletableFuture<PolicyVerdict> future = services.policy().decide(document, key);
    future = future.thenApply(verdict -> {
      session.monitor.answered(verdict);
      return verdict;
    });
    if (future.isDone() && !future.join().decision().approvalRequired()) {
      record(enforce(future.join(), analysis, false, requestNo), document, message, sql, analysis, frame, then);
      return;
    }
    pause();
    future.thenCompose(verdict -> verdict.decision().allow() && verdict.decision().approvalRequired()
            ? approvalHold.hold(document, analysis, verdict, requestNo)
            : CompletableFuture.completedFuture(new PgApprovalHold.Outcome(verdict, false)))
        .whenComplete((decided, error) -> resume(frame, () -> {
          session.heldApproval = null;
          PolicyVerdict verdict = decided != null ? decided.verdict()
              : PolicyVerdict.failure("policy decision unavailable: " + error, 0);
          record(enforce(verdict, analysis, decided != null && decided.approved(), requestNo), document,
              message, sql, analysis, frame, then);
        }));
  }

  /**
   * Goes on with {@code step} on the client's event loop once what it waited for is done, then
   * handles what the client sent meanwhile; drops {@code frame} if the client has gone.
   */
  private void resume(PgFrame frame, Runnable step) {
    session.client.eventLoop().execute(() -> {
      awaitingDecision = false;
      if (!session.client.isActive()) {
        frame.release();
        releaseQueue();
        return;
      }
      try {
        step.run();
        drain();
      } catch (RuntimeException e) {
        // Outside channelRead, so Netty would not call exceptionCaught: end the session here.
        fail(e);
      }
    });
  }

  /** Stops reading from the client until what it sent is decided. */
  private void pause() {
    awaitingDecision = true;
    session.client.config().setAutoRead(false);
  }

  /**
   * Puts the request and its decision on record, then enforces the decision: nothing reaches the
   * server, and no denial the client, before the audit log holds it. A decision the audit log
   * cannot hold becomes a denial (fail closed).
   */
  private void record(PgEnforced enforced, RequestDocument document, String message, String sql,
      SqlAnalysis analysis, PgFrame frame, Consumer<PgEnforced> then) {
    AuditRecorder audit = session.services.audit();
    if (audit.enabled() && !audit.healthy()) {
      apply(unrecorded(enforced, audit.problem()), document, message, sql, analysis, frame, then);
      return;
    }
    CompletableFuture<Void> written = audit.request(session.info.id(), enforced.requestNo(), message,
        document, enforced.verdict());
    if (written.isDone() && !written.isCompletedExceptionally()) {
      apply(enforced, document, message, sql, analysis, frame, then);
      return;
    }
    pause();
    written.whenComplete((ok, error) -> resume(frame, () -> apply(error == null ? enforced
        : unrecorded(enforced, PgErrors.unwrap(error).getMessage()), document, message, sql, analysis,
        frame, then)));
  }

  private void apply(PgEnforced enforced, RequestDocument document, String message, String sql,
      SqlAnalysis analysis, PgFrame frame, Consumer<PgEnforced> then) {
    logDecision(analysis.fingerprint(), analysis.normalized(), sql, message, enforced.verdict());
    boolean terminate = enforced.verdict().decision().terminates();
    boolean runs = enforced.allowed() && !terminate;
    if (runs) {
      session.allowed++;
    } else {
      session.denied++;
    }
    session.monitor.decided(enforced.requestNo(), analysis.normalized(), enforced.verdict(), runs,
        writes(analysis), runs ? tables(analysis) : java.util.List.of(), document.context().stats());
    if (terminate) {
      frame.release();
      terminate(enforced.verdict());
      return;
    }
    then.accept(enforced);
  }

  /** Ends the session as the policy asked: a FATAL error with its reasons, then the connection closes. */
  private void terminate(PolicyVerdict verdict) {
    releaseQueue();
    String reasons = verdict.decision().reasons().isEmpty() ? "no reason given"
        : String.join("; ", verdict.decision().reasons());
    session.endReason = "terminated_by_policy";
    session.endDetail = reasons;
    log.warn("session {}: terminated by policy (decision {}): {}", session.info.id(), verdict.decisionId(),
        reasons);
    // The server connection closes once the client's does: closing it first would make the
    // session's end look like the server's.
    PgErrors.closeWithFatal(session.client, PgErrors.ADMIN_SHUTDOWN,
        "portcullis: the policy ended this session: " + reasons);
  }

  private static boolean writes(SqlAnalysis analysis) {
    for (var statement : analysis.statements()) {
      if ("write".equals(statement.type())) {
        return true;
      }
    }
    return false;
  }

  /** The tables a request touches, as {@code schema.name} or {@code name}. */
  private static java.util.List<String> tables(SqlAnalysis analysis) {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (var statement : analysis.statements()) {
      for (var table : statement.tables()) {
        names.add(table.schema() == null ? table.name() : table.schema() + "." + table.name());
      }
    }
    return names;
  }

  private PgEnforced unrecorded(PgEnforced enforced, String problem) {
    log.error("session {}: request {} refused: the audit log cannot record it: {}", session.info.id(),
        enforced.requestNo(), problem);
    return new PgEnforced(PolicyVerdict.failure("the audit log is unavailable, so no request can run"
        + " (the gateway fails closed)", enforced.verdict().latencyNanos()), PgMaskRules.NONE, false,
        enforced.requestNo());
  }

  /**
   * What the gateway enforces for a verdict: an allow only when it can do all the decision asks
   * (its masking rules apply to PostgreSQL results, and any approval was granted); a deny otherwise.
   */
  private PgEnforced enforce(PolicyVerdict decided, SqlAnalysis analysis, boolean approved, long requestNo) {
    PolicyVerdict verdict = decided;
    PgMaskRules rules = PgMaskRules.NONE;
    if (verdict.allowed() && verdict.decision().approvalRequired() && !approved) {
      verdict = verdict.denied("the policy requires an approval");
    }
    if (verdict.allowed()) {
      try {
        rules = PgMaskRules.of(verdict.decision(), analysis.statements());
      } catch (IllegalArgumentException e) {
        verdict = verdict.denied("the policy asks for masking the gateway cannot apply: "
            + e.getMessage());
      }
    }
    return new PgEnforced(verdict, rules, approved, requestNo);
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
