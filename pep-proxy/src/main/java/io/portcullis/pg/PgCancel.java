package io.portcullis.pg;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.portcullis.protocol.pg.CancelRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends a CancelRequest with the server's own key to the server that runs a session. */
final class PgCancel {

  private static final Logger log = LoggerFactory.getLogger(PgCancel.class);

  private PgCancel() {}

  static void send(EventLoop loop, PgCancelRegistry.Entry entry) {
    new Bootstrap()
        .group(loop)
        .channel(io.portcullis.gateway.NettyTransport.socketChannel())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
        .handler(new ChannelInboundHandlerAdapter())
        .connect(entry.target().host(), entry.target().port())
        .addListener((ChannelFutureListener) f -> {
          if (!f.isSuccess()) {
            log.warn("cancel request not delivered to {}: {}", entry.target(), f.cause().toString());
            return;
          }
          ByteBuf out = f.channel().alloc().buffer(16);
          new CancelRequest(entry.serverProcessId(), entry.serverSecret()).encode(out);
          // The server answers a cancel request by closing the connection.
          f.channel().writeAndFlush(out);
          f.channel().eventLoop().schedule(() -> f.channel().close(), 5, java.util.concurrent.TimeUnit.SECONDS);
          log.info("cancel request forwarded to {}", entry.target());
        });
  }
}
