package io.portcullis.monitor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.portcullis.document.Context;
import io.portcullis.document.Identity;
import io.portcullis.document.SessionInfo;
import io.portcullis.policy.PolicyVerdict;
import java.util.Collection;

/**
 * What one session reports to monitoring: the activity its requests add, the metrics it moves,
 * and the alerts its decisions raise. Made by {@link Monitoring#open}; touched on the session's
 * event loop, and cheap there (no lock, no label lookup per request).
 */
public final class SessionMonitor {

  private final Monitoring monitoring;
  private final SessionInfo info;
  private final Identity identity;
  private final SessionActivity activity;
  private final GatewayMetrics.SessionPoints points;
  private boolean closed;

  SessionMonitor(Monitoring monitoring, SessionInfo info, Identity identity, SessionActivity activity,
      GatewayMetrics.SessionPoints points) {
    this.monitoring = monitoring;
    this.info = info;
    this.identity = identity;
    this.activity = activity;
    this.points = points;
  }

  /** The identity's activity before the request being decided now, for {@code input.context.stats}. */
  public Context.Stats stats() {
    return activity.stats();
  }

  /** A verdict came from the policy client: its latency, and whether the engine failed. */
  public void answered(PolicyVerdict verdict) {
    double seconds = verdict.latencyNanos() / 1e9;
    switch (verdict.source()) {
      case OPA -> points.opa().observe(seconds);
      case CACHE -> points.cache().observe(seconds);
      case FAILURE -> {
        points.failure().observe(seconds);
        points.opaErrors().inc();
      }
      case GATEWAY -> { }
    }
  }

  /**
   * A request was decided: counts it, and routes the alerts of its decision.
   *
   * @param requestNo the request's number in the session
   * @param request the request without literal values, or null
   * @param verdict the verdict as enforced
   * @param allowed whether the request goes on to the target
   * @param write whether it holds a write statement
   * @param tables the tables it touches
   * @param stats what the policy saw, or null
   */
  public void decided(long requestNo, String request, PolicyVerdict verdict, boolean allowed,
      boolean write, Collection<String> tables, Context.Stats stats) {
    // A request the gateway could not decide (OPA or the audit log down) is not the identity's
    // denial: an outage must not end sessions as "repeated denials" once OPA is back.
    boolean deniedByPolicy = !allowed && verdict.source() != PolicyVerdict.Source.FAILURE;
    activity.decided(write, deniedByPolicy, tables);
    (allowed ? points.allowed() : points.denied()).inc();
    if (!verdict.decision().alerts().isEmpty()) {
      monitoring.alerts().raise(info, identity, requestNo, request, verdict, allowed, stats);
    }
  }

  /** What was relayed to the client for one request. */
  public void returned(long rows, long bytes) {
    activity.returned(rows, bytes);
    points.rows().inc(rows);
  }

  /** A handler that counts the session's bytes from and to the client; put it after TLS. */
  public ChannelHandler byteCounter() {
    return new ChannelDuplexHandler() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        points.received().inc(size(msg));
        ctx.fireChannelRead(msg);
      }

      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        points.sent().inc(size(msg));
        ctx.write(msg, promise);
      }
    };
  }

  private static long size(Object msg) {
    return msg instanceof ByteBuf b ? b.readableBytes()
        : msg instanceof ByteBufHolder h ? h.content().readableBytes() : 0;
  }

  /** The session ended for {@code reason}; later calls do nothing. */
  public void closed(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    activity.close();
    points.open().dec();
    monitoring.metrics().sessionEnded(info.protocol(), info.target(), reason);
  }
}
