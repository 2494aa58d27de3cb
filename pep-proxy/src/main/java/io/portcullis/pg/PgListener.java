package io.portcullis.pg;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.portcullis.config.HostPort;
import io.portcullis.config.LimitSettings;
import io.portcullis.protocol.pg.PgStartupFramer;
import java.net.InetSocketAddress;

/** The PostgreSQL listener: accepts clients and starts each one at {@link PgStartupHandler}. */
public final class PgListener implements AutoCloseable {

  private final Channel channel;

  private PgListener(Channel channel) {
    this.channel = channel;
  }

  /**
   * Binds the listener.
   *
   * @param sslContext the server TLS context, or null when TLS is not configured
   * @throws InterruptedException when interrupted while binding
   */
  public static PgListener bind(HostPort address, EventLoopGroup boss, EventLoopGroup workers,
      PgServices services, SslContext sslContext) throws InterruptedException {
    Channel channel = new ServerBootstrap()
        .group(boss, workers)
        .channel(io.portcullis.gateway.NettyTransport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast("startup-framer", new PgStartupFramer(LimitSettings.MAX_STARTUP_BYTES));
            ch.pipeline().addLast("startup", new PgStartupHandler(services, sslContext));
          }
        })
        .bind(address.host(), address.port())
        .sync()
        .channel();
    return new PgListener(channel);
  }

  /** The bound port (useful when configured as 0). */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
