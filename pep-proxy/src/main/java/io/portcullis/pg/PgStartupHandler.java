package io.portcullis.pg;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.portcullis.config.LimitSettings;
import io.portcullis.config.TargetSettings;
import io.portcullis.document.SessionInfo;
import io.portcullis.identity.InvalidTokenException;
import io.portcullis.identity.VerifiedToken;
import io.portcullis.protocol.pg.AuthenticationCleartextPassword;
import io.portcullis.protocol.pg.AuthenticationOk;
import io.portcullis.protocol.pg.BackendKeyData;
import io.portcullis.protocol.pg.CancelRequest;
import io.portcullis.protocol.pg.GSSENCRequest;
import io.portcullis.protocol.pg.NegotiateProtocolVersion;
import io.portcullis.protocol.pg.PasswordMessage;
import io.portcullis.protocol.pg.PgFrame;
import io.portcullis.protocol.pg.PgMessageFramer;
import io.portcullis.protocol.pg.PgProtocolException;
import io.portcullis.protocol.pg.SSLRequest;
import io.portcullis.protocol.pg.StartupMessage;
import io.portcullis.protocol.pg.StartupPacket;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a new client connection through TLS negotiation, the startup packet and token
 * authentication, connects to the target with the gateway's own credentials, and then hands the
 * connection to {@link PgClientHandler} and removes itself.
 */
final class PgStartupHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(PgStartupHandler.class);

  private enum State { STARTUP, PASSWORD, AUTHENTICATING }

  private final PgServices services;
  private final SslContext sslContext;
  private final Instant connectedAt;
  private State state = State.STARTUP;
  private boolean tls;
  private PgStartupParameters startup;
  private ScheduledFuture<?> authTimeout;

  PgStartupHandler(PgServices services, SslContext sslContext) {
    this.services = services;
    this.sslContext = sslContext;
    this.connectedAt = services.clock().instant();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    int seconds = services.config().limits().authTimeoutS();
    authTimeout = ctx.executor().schedule(() -> fatal(ctx, PgErrors.PROTOCOL_VIOLATION,
        "authentication did not finish within " + seconds + " s"), seconds, TimeUnit.SECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    authTimeout.cancel(false);
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      switch (state) {
        case STARTUP -> onStartupPacket(ctx, (StartupPacket) msg);
        case PASSWORD -> onPassword(ctx, (PgFrame) msg);
        case AUTHENTICATING -> throw new PgProtocolException("message received during authentication");
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onStartupPacket(ChannelHandlerContext ctx, StartupPacket packet) {
    switch (packet) {
      case SSLRequest r -> {
        if (sslContext == null || tls) {
          ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte('N'));
        } else {
          tls = true;
          ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte('S'));
          ctx.pipeline().addFirst("tls", sslContext.newHandler(ctx.alloc()));
        }
      }
      case GSSENCRequest r -> ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte('N'));
      case CancelRequest cancel -> onCancel(ctx, cancel);
      case StartupMessage message -> onStartupMessage(ctx, message);
    }
  }

  private void onCancel(ChannelHandlerContext ctx, CancelRequest cancel) {
    PgCancelRegistry.Entry entry = services.cancels().lookup(cancel.processId(), cancel.secretKey());
    ctx.close();
    if (entry == null) {
      log.info("cancel request with an unknown key from {}", ctx.channel().remoteAddress());
      return;
    }
    PgSession session = services.cancels().session(cancel.processId());
    String held = session == null ? null : session.heldApproval;
    if (held != null && services.approvals().cancel(held, "the client cancelled the statement")) {
      log.info("session {}: approval {} cancelled by the client", session.info.id(), held);
    }
    PgCancel.send(ctx.channel().eventLoop(), entry);
  }

  private void onStartupMessage(ChannelHandlerContext ctx, StartupMessage message) {
    try {
      startup = PgStartupParameters.of(message);
    } catch (PgRefusal e) {
      fatal(ctx, e.sqlState(), e.getMessage());
      return;
    }
    if (!startup.unrecognizedOptions().isEmpty() || message.protocolVersion() != 196608) {
      ByteBuf out = ctx.alloc().buffer();
      new NegotiateProtocolVersion(0, startup.unrecognizedOptions()).encode(out);
      ctx.write(out);
    }
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    boolean loopback = remote.getAddress().isLoopbackAddress();
    if (!tls && !(loopback && services.config().listen().allowCleartextOnLoopback())) {
      fatal(ctx, PgErrors.INVALID_AUTHORIZATION,
          "the gateway accepts a token only over TLS (connect with sslmode=require)");
      return;
    }
    ByteBuf out = ctx.alloc().buffer();
    AuthenticationCleartextPassword.INSTANCE.encode(out);
    ctx.writeAndFlush(out);
    ctx.pipeline().replace("startup-framer", "framer",
        new PgMessageFramer(services.config().limits().maxMessageBytes()));
    state = State.PASSWORD;
  }

  private void onPassword(ChannelHandlerContext ctx, PgFrame frame) {
    if (frame.type() != 'p') {
      throw new PgProtocolException("expected a password message, got type '" + (char) frame.type() + "'");
    }
    String token = PasswordMessage.decode(frame.payload()).password();
    state = State.AUTHENTICATING;
    ctx.channel().config().setAutoRead(false);
    CompletableFuture.supplyAsync(() -> verify(token), services.blockingExecutor())
        .whenComplete((result, error) -> ctx.executor().execute(() -> onVerified(ctx, result, error)));
  }

  private Object verify(String token) {
    try {
      return services.verifier().verify(token);
    } catch (InvalidTokenException e) {
      return e;
    }
  }

  private void onVerified(ChannelHandlerContext ctx, Object result, Throwable error) {
    if (!ctx.channel().isActive()) {
      return;
    }
    if (error != null || result instanceof InvalidTokenException) {
      String why = error != null ? "token verification failed" : ((Exception) result).getMessage();
      log.info("login refused from {} user={} target={}: {}", ctx.channel().remoteAddress(),
          startup.user(), startup.database(), why);
      fatal(ctx, PgErrors.INVALID_PASSWORD, "token rejected: " + why);
      return;
    }
    VerifiedToken token = (VerifiedToken) result;
    TargetSettings target = services.config().target(startup.database()).orElse(null);
    if (target == null) {
      fatal(ctx, PgErrors.INVALID_CATALOG_NAME, "target \"" + startup.database() + "\" is not configured");
      return;
    }
    String password;
    try {
      password = target.password(services.env());
    } catch (IllegalStateException e) {
      log.error("{}", e.getMessage());
      fatal(ctx, PgErrors.CONNECTION_FAILURE, "the gateway has no credentials for target " + target.name());
      return;
    }
    LimitSettings limits = services.config().limits();
    PgUpstream.connect(ctx.channel().eventLoop(), target, password, startup.forwarded(),
        limits.maxServerMessageBytes(), 10_000).addListener(f -> {
          if (f.isSuccess()) {
            onUpstream(ctx, token, target, (PgUpstream.Connection) f.getNow());
          } else {
            String message = f.cause() instanceof PgRefusal u ? u.getMessage()
                : "cannot connect to target " + target.name();
            String state = f.cause() instanceof PgRefusal u ? u.sqlState()
                : PgErrors.CONNECTION_FAILURE;
            log.warn("session for {} to {} not started: {}", token.subject(), target.name(), message);
            fatal(ctx, state, message);
          }
        });
  }

  private void onUpstream(ChannelHandlerContext ctx, VerifiedToken token, TargetSettings target,
      PgUpstream.Connection upstream) {
    var client = ctx.channel();
    if (!client.isActive()) {
      upstream.channel().close();
      return;
    }
    authTimeout.cancel(false);
    InetSocketAddress remote = (InetSocketAddress) client.remoteAddress();
    SessionInfo info = new SessionInfo(PgSessionIds.next(), "postgres", target.name(), connectedAt,
        new SessionInfo.Source(remote.getAddress().getHostAddress(), remote.getPort(), tls));
    byte[] secret = services.cancels().newSecret(4);
    int pid = upstream.key() == null ? services.cancels().register(secret, target.address(), 0, new byte[4])
        : services.cancels().register(secret, target.address(), upstream.key().processId(),
            upstream.key().secretKey());
    PgSession session = new PgSession(services, info, token.toIdentity(), target, client,
        upstream.channel(), pid);
    if (!services.audit().healthy()) {
      refuseUnaudited(ctx, session, services.audit().problem());
      return;
    }
    // The session goes on only once its start is on record.
    services.audit().sessionStarted(info, session.identity, null).whenComplete((ok, error) ->
        ctx.executor().execute(() -> {
          if (error != null) {
            refuseUnaudited(ctx, session, PgErrors.unwrap(error).getMessage());
          } else if (!client.isActive()) {
            upstream.channel().close();
            services.cancels().unregister(pid);
          } else {
            startSession(ctx, session, upstream, secret, token);
          }
        }));
  }

  private void refuseUnaudited(ChannelHandlerContext ctx, PgSession session, String problem) {
    log.error("session for {} to {} refused: the audit log cannot record it: {}",
        session.identity.subject(), session.target.name(), problem);
    session.server.close();
    services.cancels().unregister(session.gatewayProcessId);
    fatal(ctx, PgErrors.CANNOT_CONNECT_NOW, "the audit log is unavailable, so no session can start"
        + " (the gateway fails closed); try again later");
  }

  private void startSession(ChannelHandlerContext ctx, PgSession session, PgUpstream.Connection upstream,
      byte[] secret, VerifiedToken token) {
    var client = ctx.channel();
    SessionInfo info = session.info;
    ByteBuf out = ctx.alloc().buffer();
    AuthenticationOk.INSTANCE.encode(out);
    upstream.parameters().forEach(p -> p.encode(out));
    new BackendKeyData(session.gatewayProcessId, secret).encode(out);
    upstream.ready().encode(out);
    session.transactionStatus = upstream.ready().status();

    session.monitor = services.monitoring().open(info, session.identity);
    // After TLS, so that it counts the protocol's bytes.
    if (ctx.pipeline().get("tls") != null) {
      ctx.pipeline().addAfter("tls", "bytes", session.monitor.byteCounter());
    } else {
      ctx.pipeline().addFirst("bytes", session.monitor.byteCounter());
    }
    services.cancels().attach(session.gatewayProcessId, session);
    PgClientHandler clientHandler = new PgClientHandler(session);
    upstream.channel().pipeline().addLast("session", new PgServerHandler(session, clientHandler));
    ctx.pipeline().addLast("session", clientHandler);
    ctx.pipeline().remove(this);
    client.writeAndFlush(out);
    scheduleTokenExpiry(session, token.expiresAt());
    log.info("session start id={} subject={} groups={} target={} source={}:{} tls={}", info.id(),
        token.subject(), token.groups(), info.target(), info.source().ip(), info.source().port(), tls);
    client.config().setAutoRead(true);
  }

  /** A session lives no longer than the token that opened it. */
  private void scheduleTokenExpiry(PgSession session, Instant expiresAt) {
    if (expiresAt == null) {
      return;
    }
    long delayMs = Math.max(0, expiresAt.toEpochMilli() - services.clock().millis());
    session.tokenExpiry = session.client.eventLoop().schedule(() -> {
      if (session.client.isActive()) {
        log.info("session {}: token expired, closing", session.info.id());
        session.endReason = "token_expired";
        PgErrors.closeWithFatal(session.client, PgErrors.INVALID_PASSWORD,
            "token expired; reconnect with a new token");
        session.server.close();
      }
    }, delayMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root = PgErrors.unwrap(cause);
    if (root instanceof PgProtocolException e) {
      log.warn("closing connection from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
      fatal(ctx, e.sqlState(), "protocol violation: " + e.getMessage());
    } else {
      log.warn("closing connection from {}: {}", ctx.channel().remoteAddress(), root.toString());
      ctx.close();
    }
  }

  private static void fatal(ChannelHandlerContext ctx, String sqlState, String message) {
    PgErrors.closeWithFatal(ctx.channel(), sqlState, message);
  }
}
