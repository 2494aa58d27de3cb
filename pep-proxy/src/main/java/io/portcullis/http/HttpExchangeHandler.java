package io.portcullis.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.document.Context;
import io.portcullis.document.RequestDocument;
import io.portcullis.identity.InvalidTokenException;
import io.portcullis.identity.VerifiedToken;
import io.portcullis.log.DecisionLine;
import io.portcullis.policy.CacheKey;
import io.portcullis.policy.Decision;
import io.portcullis.policy.PolicyVerdict;
import io.portcullis.protocol.http.HttpTarget;
import io.portcullis.protocol.http.HttpTargetException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one client request at a time through the gateway (an HTTP/1.1 connection, or one HTTP/2
 * stream): limits, token, path, decision, approval, audit, then forwarding with its response.
 *
 * <p>The channel never reads on its own: a {@code FlowControlHandler} before this one hands over
 * one message per {@code read()}, and this handler asks for the next only when it can take it: a
 * body part once the previous one was written upstream (back-pressure), the next request once the
 * response to this one is complete.
 */
final class HttpExchangeHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(HttpExchangeHandler.class);

  private final HttpConnection conn;
  private final boolean http2;
  private ChannelHandlerContext ctx;
  private HttpExchange exchange;
  private boolean reading;
  private boolean wantRead;
  /** The last decision whose masking and header rules were checked, and its rules. */
  private Decision checkedDecision;
  private HttpMaskRules checkedRules = HttpMaskRules.NONE;
  private final HttpResponder responder;

  HttpExchangeHandler(HttpConnection conn, boolean http2) {
    this.conn = conn;
    this.http2 = http2;
    this.responder = new HttpResponder(this);
  }

  HttpConnection connection() {
    return conn;
  }

  ChannelHandlerContext ctx() {
    return ctx;
  }

  boolean http2() {
    return http2;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      startReading(); // Added after TLS and ALPN: the channel is active already.
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    startReading();
    ctx.fireChannelActive();
  }

  private void startReading() {
    if (!reading) {
      reading = true;
      requestRead();
    }
  }

  /** Asks for one more message; asked again after a read that brought none (a part of a head). */
  private void requestRead() {
    wantRead = true;
    ctx.read();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (wantRead) {
      ctx.read(); // The read brought bytes but no whole message: the demand is still open.
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    wantRead = false;
    if (msg instanceof HttpRequest head) {
      if (exchange != null) {
        ReferenceCountUtil.release(msg);
        ctx.close();
        return;
      }
      exchange = new HttpExchange(head);
      if (msg instanceof FullHttpRequest full) {
        // HTTP/2 headers that end the stream: the whole request in one message.
        exchange.fullLength = (long) full.content().readableBytes();
        HttpExchange x = exchange;
        onHead(x);
        onContent(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
        return;
      }
      onHead(exchange);
      return;
    }
    if (msg instanceof HttpContent content) {
      onContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    HttpExchange x = exchange;
    if (x != null && x.upstream != null) {
      x.upstream.config().setAutoRead(ctx.channel().isWritable());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    HttpExchange x = exchange;
    exchange = null;
    if (x != null) {
      abandon(x, "client disconnected");
    }
    if (!http2) {
      conn.close();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof io.netty.handler.timeout.IdleStateEvent) {
      if (exchange == null) {
        ctx.close(); // Idle between requests; a request waiting for an approval is not idle.
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.warn("{}: closing connection from {}: {}", conn.target.name(), ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }

  /** Drops what an unfinished exchange holds: its upstream connection, buffers and approval. */
  private void abandon(HttpExchange x, String why) {
    x.release();
    if (x.upstream != null) {
      x.upstream.close();
    }
    if (x.heldApproval != null) {
      conn.services.approvals().cancel(x.heldApproval, why);
    }
    if (x.session != null && x.forwarded && !x.responseDone) {
      complete(x, why);
    }
  }

  // ---- request head ------------------------------------------------------------------------

  private void onHead(HttpExchange x) {
    var limits = conn.services.http();
    HttpRequest head = x.head;
    if (head.decoderResult().isFailure()) {
      Throwable cause = head.decoderResult().cause();
      if (cause instanceof TooLongHttpLineException) {
        refuse(x, 414, "uri_too_long", "request line is longer than " + limits.maxUrlBytes() + " bytes");
      } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
        refuse(x, 431, "header_too_large", "request headers are larger than "
            + limits.maxHeaderBytes() + " bytes");
      } else {
        refuse(x, 400, "bad_request", "malformed request: " + cause.getMessage());
      }
      return;
    }
    if (head.uri().length() > limits.maxUrlBytes()) {
      refuse(x, 414, "uri_too_long", "request target length: " + head.uri().length()
          + " (expected: <= " + limits.maxUrlBytes() + ")");
      return;
    }
    HttpHeaders headers = head.headers();
    x.keepAlive = http2 || HttpUtil.isKeepAlive(head);
    String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
    if (length != null) {
      try {
        x.contentLength = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        refuse(x, 400, "bad_request", "Content-Length: " + length + " (expected: a number)");
        return;
      }
      if (x.contentLength < 0) {
        refuse(x, 400, "bad_request", "Content-Length: " + length + " (expected: >= 0)");
        return;
      }
      if (x.contentLength > limits.maxBodyBytes()) {
        refuse(x, 413, "payload_too_large", "request body length: " + x.contentLength
            + " (expected: <= " + limits.maxBodyBytes() + ")");
        return;
      }
    } else if (x.fullLength != null) {
      x.contentLength = x.fullLength;
    } else if (!http2 && !HttpUtil.isTransferEncodingChunked(head)) {
      x.contentLength = 0L; // HTTP/1.1 without either has no body.
    }
    if (!http2 && HttpHeaderRules.connectionTokens(headers).contains("upgrade")
        && headers.contains(HttpHeaderNames.UPGRADE)) {
      x.upgrade = headers.get(HttpHeaderNames.UPGRADE).strip().toLowerCase(Locale.ROOT);
      x.keepAlive = false; // Relayed after a 101, or closed after any other answer.
    }
    x.expectContinue = HttpUtil.is100ContinueExpected(head);
    try {
      x.target = HttpTarget.parse(head.uri());
    } catch (HttpTargetException e) {
      refuse(x, 400, "bad_request", e.getMessage());
      return;
    }
    String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      unauthorized(x, "missing bearer token (expected: Authorization: Bearer <JWT>)");
      return;
    }
    x.token = authorization.substring(7).strip();
    VerifiedToken known = conn.remembered(x.token);
    if (known != null) {
      authenticated(x, known);
      return;
    }
    CompletableFuture.supplyAsync(() -> verify(x.token), conn.services.blockingExecutor())
        .whenComplete((result, error) -> onLoop(x, () -> {
          if (result instanceof VerifiedToken v) {
            conn.remember(x.token, v);
            authenticated(x, v);
          } else {
            unauthorized(x, result instanceof InvalidTokenException e ? e.getMessage()
                : "token verification failed");
          }
        }));
  }

  private Object verify(String token) {
    try {
      return conn.services.verifier().verify(token);
    } catch (InvalidTokenException e) {
      return e;
    }
  }

  private void authenticated(HttpExchange x, VerifiedToken token) {
    x.verified = token;
    x.session = conn.session(token);
    String type = HttpMedia.mediaType(x.head.headers().get(HttpHeaderNames.CONTENT_TYPE));
    int small = conn.services.http().documentBodyBytes();
    boolean empty = x.contentLength != null && x.contentLength == 0;
    x.collect = !empty && x.upgrade == null && HttpMedia.isJson(type)
        && (x.contentLength == null || x.contentLength <= small);
    if (x.collect && !x.bodyDone) {
      sendContinue(x);
      requestRead();
      return;
    }
    decide(x);
  }

  // ---- request body ------------------------------------------------------------------------

  private void onContent(HttpContent content) {
    HttpExchange x = exchange;
    if (x == null || x.verdict != null && !x.forwarded) {
      content.release(); // A refused exchange: its body is not wanted.
      return;
    }
    x.bodyRead += content.content().readableBytes();
    boolean last = content instanceof LastHttpContent;
    if (x.bodyRead > conn.services.http().maxBodyBytes()) {
      content.release();
      tooLarge(x);
      return;
    }
    if (last) {
      x.bodyDone = true;
    }
    if (x.forwarded) {
      Channel up = x.upstream;
      up.writeAndFlush(content).addListener(f -> {
        if (!f.isSuccess()) {
          upstreamFailed(x, f.cause());
        } else if (!last && exchange == x) {
          requestRead();
        }
      });
      return;
    }
    x.pending.add(content);
    if (x.collect && x.verdict == null && x.described == null) {
      if (last || x.bodyRead > conn.services.http().documentBodyBytes()) {
        if (!last) {
          x.collect = false; // Too large for the document: decided without it.
        }
        decide(x);
      } else {
        requestRead();
      }
    }
  }

  private void tooLarge(HttpExchange x) {
    String message = "request body is larger than " + conn.services.http().maxBodyBytes() + " bytes";
    if (x.upstream != null) {
      x.upstream.close();
      x.upstream = null;
    }
    if (x.responseStarted) {
      ctx.close();
      return;
    }
    refuse(x, 413, "payload_too_large", message);
  }

  private void sendContinue(HttpExchange x) {
    if (x.expectContinue && !x.continueSent) {
      x.continueSent = true;
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
          Unpooled.EMPTY_BUFFER));
    }
  }

  // ---- decision ----------------------------------------------------------------------------

  private void decide(HttpExchange x) {
    HttpSession session = x.session;
    byte[] body = null;
    Long bodyBytes = x.contentLength;
    if (x.collect && x.bodyDone) {
      body = new byte[(int) x.pendingBytes()];
      int at = 0;
      for (HttpContent c : x.pending) {
        int n = c.content().readableBytes();
        c.content().getBytes(c.content().readerIndex(), body, at, n);
        at += n;
      }
      bodyBytes = (long) body.length;
    } else if (x.bodyDone && x.contentLength == null) {
      bodyBytes = x.bodyRead;
    }
    HttpHeaders headers = x.head.headers();
    Map<String, List<String>> forDocument = HttpHeaderRules.forDocument(headers, conn.protocol);
    HttpRequestHead head = new HttpRequestHead(x.head.method().name(), x.target.path(),
        x.head.uri().split("\\?", 2)[0], x.target.query(), forDocument, x.upgrade, http2,
        HttpMedia.mediaType(headers.get(HttpHeaderNames.CONTENT_TYPE)), body, bodyBytes);
    try {
      x.described = conn.protocol.describe(head);
    } catch (HttpRefusal e) {
      refuse(x, e.status(), e.error(), e.getMessage());
      return;
    }
    x.requestNo = ++session.requests;
    var services = conn.services;
    x.document = new RequestDocument(RequestDocument.CURRENT_VERSION, session.info, session.identity,
        x.described.request(), Context.at(services.clock().instant()).withStats(session.monitor.stats()));
    CacheKey key = new CacheKey(session.identity.subject(), session.identity.groups(), conn.target.name(),
        conn.protocol.name(), x.described.cacheKey(), x.described.cacheKey());
    CompletableFuture<PolicyVerdict> decided = services.policy().decide(x.document, key)
        .thenApply(verdict -> {
          session.monitor.answered(verdict);
          return verdict;
        });
    if (decided.isDone() && session.started.isDone() && !session.started.isCompletedExceptionally()
        && !decided.join().decision().approvalRequired()) {
      // A cached decision on a session already on record: go on in this read, without a task hop.
      record(x, enforce(x, decided.join(), false));
      return;
    }
    decided.thenCompose(verdict -> verdict.allowed() && verdict.decision().approvalRequired()
            ? HttpApprovalHold.hold(services, session, x, x.document, verdict,
                new CacheKey(session.identity.subject(), session.identity.groups(), conn.target.name(),
                    conn.protocol.name(), null, null),
                id -> onLoop(x, () -> x.heldApproval = id))
            : CompletableFuture.completedFuture(new HttpApprovalHold.Outcome(verdict, false)))
        // The session's start is on record before any of its requests.
        .thenCombine(session.started.handle((ok, error) -> error), (outcome, startError) ->
            startError == null ? outcome : new HttpApprovalHold.Outcome(PolicyVerdict.failure(
                "the audit log is unavailable, so no request can run (the gateway fails closed)",
                outcome.verdict().latencyNanos()), false))
        .whenComplete((outcome, error) -> onLoop(x, () -> {
          x.heldApproval = null;
          PolicyVerdict verdict = outcome != null ? outcome.verdict()
              : PolicyVerdict.failure("policy decision unavailable: " + error, 0);
          record(x, enforce(x, verdict, outcome != null && outcome.approved()));
        }));
  }

  /** What the gateway enforces: an allow only when it can do all the decision asks. */
  private PolicyVerdict enforce(HttpExchange x, PolicyVerdict verdict, boolean approved) {
    if (verdict.allowed() && verdict.decision().approvalRequired() && !approved) {
      return verdict.denied("the policy requires an approval");
    }
    if (verdict.allowed()) {
      try {
        Decision decision = verdict.decision();
        if (decision != checkedDecision) {
          // A cached decision is the same object request after request: check it once.
          checkedRules = HttpMaskRules.of(decision);
          HttpHeaderRules.check(decision.headers());
          checkedDecision = decision;
        }
        x.rules = checkedRules;
        if (x.upgrade != null && !x.rules.isEmpty()) {
          // After a 101 the bytes are relayed as they are: nothing could be masked.
          throw new IllegalArgumentException("masking, and an upgraded connection cannot be masked");
        }
        x.headerChanges = decision.headers();
      } catch (IllegalArgumentException e) {
        x.rules = HttpMaskRules.NONE;
        return verdict.denied("the policy asks for what the gateway cannot apply: " + e.getMessage());
      }
    }
    return verdict;
  }

  /** Puts the request and its decision on record, then enforces it (fail closed). */
  private void record(HttpExchange x, PolicyVerdict verdict) {
    var audit = conn.services.audit();
    if (audit.enabled() && !audit.healthy()) {
      apply(x, unrecorded(verdict, audit.problem()));
      return;
    }
    CompletableFuture<Void> written = audit.request(x.session.info.id(), x.requestNo, "request",
        x.document, verdict);
    if (written.isDone() && !written.isCompletedExceptionally()) {
      apply(x, verdict);
      return;
    }
    written.whenComplete((ok, error) -> onLoop(x, () -> apply(x, error == null ? verdict
        : unrecorded(verdict, error.getMessage()))));
  }

  private static PolicyVerdict unrecorded(PolicyVerdict verdict, String problem) {
    log.error("request refused: the audit log cannot record it: {}", problem);
    return PolicyVerdict.failure("the audit log is unavailable, so no request can run (the gateway"
        + " fails closed)", verdict.latencyNanos());
  }

  private void apply(HttpExchange x, PolicyVerdict verdict) {
    x.verdict = verdict;
    logDecision(x, verdict);
    HttpSession session = x.session;
    boolean allowed = verdict.allowed() && !verdict.decision().terminates();
    if (allowed) {
      session.allowed++;
    } else {
      session.denied++;
    }
    boolean write = !(x.head.method().equals(HttpMethod.GET) || x.head.method().equals(HttpMethod.HEAD)
        || x.head.method().equals(HttpMethod.OPTIONS));
    session.monitor.decided(x.requestNo, x.described.summary(), verdict, allowed, write,
        allowed ? List.of(x.target.path()) : List.of(), x.document.context().stats());
    if (!allowed) {
      List<String> reasons = verdict.decision().reasons().isEmpty() ? List.of("denied by policy")
          : verdict.decision().reasons();
      send(x, conn.protocol.reply(403, "forbidden", reasons), null);
      return;
    }
    Instant deadline = conn.protocol.streamDeadline(x.described, x.verified.expiresAt());
    if (deadline != null) {
      long ms = Math.max(0, deadline.toEpochMilli() - conn.services.clock().millis());
      x.deadline = ctx.executor().schedule(() -> {
        if (exchange == x || x.relayed) {
          log.info("session {}: request {} ended at its stream deadline {}", session.info.id(),
              x.requestNo, deadline);
          session.endReason = "token_expired";
          ctx.close();
        }
      }, ms, TimeUnit.MILLISECONDS);
    }
    connectUpstream(x);
  }

  private void logDecision(HttpExchange x, PolicyVerdict verdict) {
    Decision d = verdict.decision();
    conn.services.decisionLog().record(new DecisionLine(conn.services.clock().instant(),
        x.session.info.id(), conn.protocol.name(), conn.target.name(), x.session.identity.subject(),
        "request", x.described.summary(), null, d.allow(), d.reasons(),
        verdict.source().name().toLowerCase(Locale.ROOT), verdict.decisionId(), verdict.revision(),
        verdict.latencyNanos() / 1000));
  }

  // ---- forwarding --------------------------------------------------------------------------

  private void connectUpstream(HttpExchange x) {
    var future = x.upgrade != null ? conn.upstream.connect(ctx.channel().eventLoop())
        : conn.upstream.acquire(ctx.channel().eventLoop());
    future.addListener(f -> {
      if (exchange != x) {
        if (f.isSuccess()) {
          ((Channel) f.getNow()).close();
        }
        return;
      }
      if (!f.isSuccess()) {
        log.warn("{}: cannot reach the upstream {}: {}", conn.target.name(), conn.target.url(),
            f.cause().toString());
        failUpstream(x, 502, "bad_gateway", "cannot connect to target " + conn.target.name());
        return;
      }
      forward(x, (Channel) f.getNow());
    });
  }

  private void forward(HttpExchange x, Channel up) {
    x.upstream = up;
    x.forwarded = true;
    up.pipeline().get(HttpUpstreamHandler.class).listener(responder.listener(x));
    up.config().setAutoRead(ctx.channel().isWritable());
    up.write(upstreamHead(x));
    for (HttpContent c : x.pending) {
      up.write(c.retainedDuplicate());
    }
    x.releasePending(); // Not release(): the stream deadline, if any, runs on.
    up.flush();
    if (!x.bodyDone) {
      sendContinue(x);
      requestRead();
    }
  }

  /** The request as the upstream gets it: its path, the gateway's credentials, no hop-by-hop. */
  private HttpRequest upstreamHead(HttpExchange x) {
    HttpRequest in = x.head;
    HttpHeaders inHeaders = in.headers();
    var tokens = HttpHeaderRules.connectionTokens(inHeaders);
    HttpRequest out = new DefaultHttpRequest(HttpVersion.HTTP_1_1, in.method(),
        conn.upstream.basePath() + x.target.forwardTarget());
    HttpHeaders h = out.headers();
    for (Map.Entry<String, String> e : inHeaders) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (HttpHeaderRules.dropped(name, tokens, conn.protocol) || name.equals("authorization")
          || name.equals("host") || name.equals("expect") || name.startsWith("x-forwarded-")) {
        continue;
      }
      h.add(e.getKey(), e.getValue());
    }
    if (x.headerChanges != null) {
      x.headerChanges.remove().forEach(h::remove);
      x.headerChanges.add().forEach(h::set);
    }
    if (!x.rules.isEmpty()) {
      h.remove(HttpHeaderNames.ACCEPT_ENCODING); // The gateway masks identity-encoded JSON only.
    }
    h.set(HttpHeaderNames.HOST, conn.upstream.authority());
    String credentials = conn.upstream.authorization();
    if (credentials != null) {
      h.set(HttpHeaderNames.AUTHORIZATION, credentials);
    }
    String ip = conn.channel.remoteAddress() instanceof java.net.InetSocketAddress a
        ? a.getAddress().getHostAddress() : "unknown";
    h.set("X-Forwarded-For", ip);
    h.set("X-Forwarded-Proto", conn.tls ? "https" : "http");
    String host = inHeaders.get(HttpHeaderNames.HOST);
    if (host != null) {
      h.set("X-Forwarded-Host", host);
    }
    if (x.upgrade != null) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
      h.set(HttpHeaderNames.UPGRADE, inHeaders.get(HttpHeaderNames.UPGRADE));
    }
    boolean hasBody = x.contentLength == null ? true : x.contentLength > 0;
    if (x.contentLength != null) {
      if (x.contentLength > 0 || inHeaders.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        h.set(HttpHeaderNames.CONTENT_LENGTH, x.contentLength);
      }
    } else if (x.bodyDone && !x.pending.isEmpty()) {
      h.set(HttpHeaderNames.CONTENT_LENGTH, x.pendingBytes());
    } else if (x.bodyDone) {
      h.remove(HttpHeaderNames.CONTENT_LENGTH);
    } else if (hasBody) {
      HttpUtil.setTransferEncodingChunked(out, true);
    }
    return out;
  }

  // ---- ends --------------------------------------------------------------------------------

  /** The upstream connection failed before the response was complete. */
  void upstreamFailed(HttpExchange x, Throwable cause) {
    if (exchange != x) {
      return;
    }
    x.upstreamReusable = false;
    if (x.upstream != null) {
      x.upstream.close();
    }
    if (x.responseStarted) {
      complete(x, "upstream closed mid-response");
      ctx.close(); // The client must not take a cut response as whole.
      return;
    }
    failUpstream(x, 502, "bad_gateway", "the target " + conn.target.name()
        + " closed the connection without a response");
  }

  /** A reply the gateway makes for an allowed request whose upstream part failed. */
  void failUpstream(HttpExchange x, int status, String error, String message) {
    x.status = status;
    complete(x, message);
    send(x, conn.protocol.reply(status, error, List.of(message)), null);
  }

  /** The exchange is over upstream: its completion goes on record (not waited for). */
  void complete(HttpExchange x, String error) {
    if (x.responseDone) {
      return;
    }
    x.responseDone = true;
    long us = (System.nanoTime() - x.startNanos) / 1000;
    x.session.monitor.returned(0, x.responseBytes);
    conn.services.audit().requestCompleted(x.session.info.id(), x.requestNo, null, x.responseBytes,
        x.maskedValues, error, us, null);
  }

  /** The response went out whole: the next request may come. */
  void finished(HttpExchange x, boolean clientKeepAlive) {
    x.release();
    if (x.upstream != null) {
      Channel up = x.upstream;
      x.upstream = null;
      if (x.upstreamReusable && x.bodyDone) {
        conn.upstream.release(up);
      } else {
        up.close();
      }
    }
    exchange = null;
    if (http2) {
      return;
    }
    if (clientKeepAlive && x.keepAlive && x.bodyDone) {
      requestRead();
    } else {
      ctx.close();
    }
  }

  /** The exchange belongs to the channel still: run {@code step} on its loop if so. */
  void onLoop(HttpExchange x, Runnable step) {
    ctx.executor().execute(() -> {
      if (exchange != x || !ctx.channel().isActive()) {
        return;
      }
      try {
        step.run();
      } catch (RuntimeException e) {
        log.warn("{}: request failed in the gateway: {}", conn.target.name(), e.toString(), e);
        ctx.close();
      }
    });
  }

  /** The exchange became a relay: this handler is done with the channel. */
  void upgraded(HttpExchange x) {
    x.relayed = true;
    if (exchange == x) {
      exchange = null;
    }
  }

  boolean current(HttpExchange x) {
    return exchange == x;
  }

  // ---- replies -----------------------------------------------------------------------------

  private void unauthorized(HttpExchange x, String why) {
    log.info("{}: request from {} refused: {}", conn.target.name(), ctx.channel().remoteAddress(), why);
    send(x, conn.protocol.reply(401, "unauthorized", List.of("token rejected: " + why)),
        "Bearer realm=\"portcullis\", error=\"invalid_token\"");
  }

  /** Refuses a request before (or instead of) the policy: logged, never forwarded. */
  private void refuse(HttpExchange x, int status, String error, String message) {
    log.info("{}: request from {} refused ({}): {}", conn.target.name(), ctx.channel().remoteAddress(),
        status, message);
    send(x, conn.protocol.reply(status, error, List.of(message)), null);
  }

  /** Sends a reply of the gateway's own and ends the exchange. */
  void send(HttpExchange x, HttpReply reply, String wwwAuthenticate) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
    if (wwwAuthenticate != null) {
      response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, wwwAuthenticate);
    }
    if (x.verdict == null) {
      x.verdict = PolicyVerdict.failure("refused", 0); // Marks the exchange as decided: drop its body.
    }
    // A body still on the wire cannot be skipped safely: the connection closes after the reply.
    boolean close = !http2 && (!x.keepAlive || !x.bodyDone && !(x.contentLength != null && x.contentLength == 0)
        || reply.status() == 400 || reply.status() == 414 || reply.status() == 431);
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    x.release();
    if (x.upstream != null) {
      x.upstream.close();
      x.upstream = null;
    }
    exchange = null;
    var written = ctx.writeAndFlush(response);
    if (close) {
      written.addListener(ChannelFutureListener.CLOSE);
    } else if (!http2) {
      written.addListener(f -> {
        if (f.isSuccess() && exchange == null) {
          requestRead();
        }
      });
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
