package io.portcullis.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Relays raw bytes between a client and an upstream connection after an allowed upgrade (101):
 * WebSocket or SPDY frames pass as they are; either side closing closes the other; a side reads
 * only while the other can take more.
 */
final class HttpRelay extends ChannelInboundHandlerAdapter {

  private final Channel peer;
  private final Runnable onClose;

  private HttpRelay(Channel peer, Runnable onClose) {
    this.peer = peer;
    this.onClose = onClose;
  }

  /**
   * Makes {@code client} and {@code upstream} one relay: their HTTP handlers leave the pipelines
   * (bytes they still buffer pass on to the relay), and both read freely from now on.
   */
  static void join(Channel client, Channel upstream, Runnable onClose) {
    client.pipeline().addLast("relay", new HttpRelay(upstream, onClose));
    upstream.pipeline().addLast("relay", new HttpRelay(client, () -> { }));
    for (String name : new String[] {"upstream", "codec"}) {
      if (upstream.pipeline().get(name) != null) {
        upstream.pipeline().remove(name);
      }
    }
    for (String name : new String[] {"exchange", "flow", "keepalive", "codec"}) {
      if (client.pipeline().get(name) != null) {
        client.pipeline().remove(name);
      }
    }
    client.config().setAutoRead(upstream.isWritable());
    upstream.config().setAutoRead(client.isWritable());
    if (!client.isActive()) {
      upstream.close();
    }
    if (!upstream.isActive()) {
      client.close();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf bytes) {
      peer.write(bytes);
    } else {
      ReferenceCountUtil.release(msg); // What the HTTP decoder still had: the 101's empty end.
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
    if (!peer.isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    peer.config().setAutoRead(ctx.channel().isWritable());
    ctx.fireChannelWritabilityChanged();
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
    if (peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    onClose.run();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
