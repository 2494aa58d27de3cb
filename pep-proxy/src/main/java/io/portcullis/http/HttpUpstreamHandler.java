package io.portcullis.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * The end of an upstream connection's pipeline: hands what the upstream sends to the exchange
 * that uses the connection now; with none (idle in the pool), anything the upstream sends closes it.
 */
final class HttpUpstreamHandler extends ChannelInboundHandlerAdapter {

  /** Set on a connection once it went back to the pool. */
  static final AttributeKey<Boolean> USED = AttributeKey.valueOf("portcullis.http.upstream.used");

  /** Who the upstream's messages go to. */
  interface Listener {
    /** A message from the upstream; the listener owns it. */
    void upstreamRead(Object msg);

    /** The upstream read what it had: a good moment to flush to the client. */
    void upstreamReadComplete();

    /** The upstream connection closed, or failed with {@code cause} (null when it just closed). */
    void upstreamClosed(Throwable cause);
  }

  private Listener listener;

  void listener(Listener listener) {
    this.listener = listener;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (listener == null) {
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    listener.upstreamRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (listener != null) {
      listener.upstreamReadComplete();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Listener current = listener;
    listener = null;
    if (current != null) {
      current.upstreamClosed(null);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Listener current = listener;
    listener = null;
    ctx.close();
    if (current != null) {
      current.upstreamClosed(cause);
    }
  }
}
