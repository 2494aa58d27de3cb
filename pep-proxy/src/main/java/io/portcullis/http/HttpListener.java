package io.portcullis.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.portcullis.config.HostPort;
import io.portcullis.config.TargetSettings;
import io.portcullis.config.TlsSettings;
import java.io.File;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The listener of one {@code http} or {@code kubernetes} target: TLS with ALPN offering HTTP/2 and
 * HTTP/1.1, or plain HTTP/1.1 on a loopback address when no certificate is configured.
 */
public final class HttpListener implements AutoCloseable {

  private final Channel server;
  private final HttpUpstream upstream;

  private HttpListener(Channel server, HttpUpstream upstream) {
    this.server = server;
    this.upstream = upstream;
  }

  /**
   * Binds the listener of {@code target}.
   *
   * @param defaultTls {@code listen.tls}, used when the target names no certificate of its own
   * @throws IllegalStateException when there is no certificate and the address is not loopback
   */
  public static HttpListener bind(TargetSettings target, HttpServices services, TlsSettings defaultTls,
      EventLoopGroup boss, EventLoopGroup workers, Class<? extends ServerChannel> serverChannel)
      throws Exception {
    HttpProtocol protocol = HttpProtocols.of(target);
    HostPort address = target.listenAddress();
    TlsSettings tls = target.tls() != null ? target.tls() : defaultTls;
    if (tls == null && !address.isLoopback()) {
      throw new IllegalStateException("target " + target.name() + ": listen " + address
          + " is not loopback, so it needs TLS (targets[].tls or listen.tls)");
    }
    SslContext ssl = tls == null ? null : serverContext(tls);
    HttpUpstream upstream = new HttpUpstream(target, services);
    var settings = services.http();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(serverChannel)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.AUTO_READ, ssl != null)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            HttpConnection conn = new HttpConnection(services, target, protocol, upstream, ch, ssl != null);
            ch.closeFuture().addListener(f -> conn.close());
            if (ssl == null) {
              http1(ch, conn);
              return;
            }
            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
            ch.pipeline().addLast("alpn", new ApplicationProtocolNegotiationHandler(
                ApplicationProtocolNames.HTTP_1_1) {
              @Override
              protected void configurePipeline(ChannelHandlerContext ctx, String selected) {
                if (ApplicationProtocolNames.HTTP_2.equals(selected)) {
                  http2(ctx.channel(), conn);
                } else {
                  ctx.channel().config().setAutoRead(false);
                  http1(ctx.channel(), conn);
                }
              }
            });
          }

          private void http1(Channel ch, HttpConnection conn) {
            ch.pipeline().addLast("codec", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxUrlBytes())
                .setMaxHeaderSize(settings.maxHeaderBytes())
                .setMaxChunkSize(64 << 10)));
            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeoutS(), TimeUnit.SECONDS));
            ch.pipeline().addLast("flow", new FlowControlHandler());
            ch.pipeline().addLast("exchange", new HttpExchangeHandler(conn, false));
          }

          private void http2(Channel ch, HttpConnection conn) {
            Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                    .maxHeaderListSize(settings.maxHeaderBytes())
                    .maxConcurrentStreams(100))
                .build();
            ch.pipeline().addLast("h2", codec);
            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeoutS(), TimeUnit.SECONDS) {
              @Override
              protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
                if (codec.connection().numActiveStreams() == 0) {
                  ctx.close();
                }
              }
            });
            ch.pipeline().addLast("streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
              @Override
              protected void initChannel(Http2StreamChannel stream) {
                stream.config().setAutoRead(false);
                stream.pipeline().addLast("codec", new Http2StreamFrameToHttpObjectCodec(true));
                stream.pipeline().addLast("flow", new FlowControlHandler());
                stream.pipeline().addLast("exchange", new HttpExchangeHandler(conn, true));
              }
            }));
          }
        });
    Channel server = bootstrap.bind(address.socketAddress()).sync().channel();
    return new HttpListener(server, upstream);
  }

  private static SslContext serverContext(TlsSettings tls) throws SSLException {
    return SslContextBuilder.forServer(new File(tls.certFile()), new File(tls.keyFile()))
        .protocols("TLSv1.3", "TLSv1.2")
        .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
        .build();
  }

  /** The bound port. */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    upstream.close();
  }
}
