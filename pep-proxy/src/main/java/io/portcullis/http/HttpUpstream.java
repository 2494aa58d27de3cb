package io.portcullis.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.portcullis.config.TargetSettings;
import java.io.File;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The upstream of one {@code http} or {@code kubernetes} target: its address, TLS, the
 * credentials the gateway presents, and a pool of idle HTTP/1.1 connections per event loop (a
 * client's request goes upstream on the client's own event loop, so nothing is shared across
 * threads and no lock is taken).
 */
final class HttpUpstream implements AutoCloseable {

  /** Largest response header block accepted from the upstream. */
  static final int MAX_RESPONSE_HEADER_BYTES = 64 << 10;

  private final TargetSettings target;
  private final HttpServices services;
  private final String host;
  private final int port;
  private final String authority;
  private final String basePath;
  private final SslContext ssl;
  private final ConcurrentHashMap<EventLoop, ArrayDeque<Channel>> idle = new ConcurrentHashMap<>();

  HttpUpstream(TargetSettings target, HttpServices services) throws SSLException {
    this.target = target;
    this.services = services;
    URI uri = URI.create(target.url());
    boolean https = "https".equals(uri.getScheme());
    this.host = uri.getHost();
    this.port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
    this.authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
        + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (https) {
      SslContextBuilder builder = SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2");
      if (target.caFile() != null) {
        builder.trustManager(new File(target.caFile()));
      }
      if (target.clientCertFile() != null) {
        builder.keyManager(new File(target.clientCertFile()), new File(target.clientKeyFile()));
      }
      this.ssl = builder.build();
    } else {
      this.ssl = null;
    }
  }

  /** The upstream's {@code Host} header value. */
  String authority() {
    return authority;
  }

  /** The URL's path, prefixed to every forwarded path; empty for none. */
  String basePath() {
    return basePath;
  }

  /** The Authorization header the gateway presents upstream, or null; read anew each time. */
  String authorization() {
    String token = target.bearerToken(services.env());
    return token == null ? null : "Bearer " + token;
  }

  /** An idle pooled connection on {@code loop}, or a new one. */
  Future<Channel> acquire(EventLoop loop) {
    ArrayDeque<Channel> channels = idle.get(loop);
    if (channels != null) {
      Channel channel;
      while ((channel = channels.pollFirst()) != null) {
        if (channel.isActive()) {
          return loop.newSucceededFuture(channel);
        }
      }
    }
    return connect(loop);
  }

  /** Whether {@code channel} came from the pool (so its server may have closed it meanwhile). */
  static boolean reused(Channel channel) {
    return channel.attr(HttpUpstreamHandler.USED).get() != null;
  }

  /** Gives a connection whose last exchange completed cleanly back to the pool of its loop. */
  void release(Channel channel) {
    ArrayDeque<Channel> channels = idle.computeIfAbsent(channel.eventLoop(), l -> new ArrayDeque<>());
    if (!channel.isActive() || channels.size() >= services.http().poolIdleConnections()) {
      channel.close();
      return;
    }
    channel.attr(HttpUpstreamHandler.USED).set(Boolean.TRUE);
    channel.pipeline().get(HttpUpstreamHandler.class).listener(null);
    channel.config().setAutoRead(true); // An idle connection notices its server closing it.
    channels.addFirst(channel);
  }

  /** A new connection on {@code loop}, never pooled unless released. */
  Future<Channel> connect(EventLoop loop) {
    Promise<Channel> promise = loop.newPromise();
    Bootstrap bootstrap = new Bootstrap()
        .group(loop)
        .channel(services.socketChannel())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, services.http().connectTimeoutMs())
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (ssl != null) {
              SSLEngine engine = ssl.newEngine(ch.alloc(), host, port);
              SSLParameters params = engine.getSSLParameters();
              params.setEndpointIdentificationAlgorithm("HTTPS");
              engine.setSSLParameters(params);
              ch.pipeline().addLast("tls", new SslHandler(engine));
            }
            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, services.http().idleTimeoutS(),
                TimeUnit.SECONDS));
            ch.pipeline().addLast("codec", new HttpClientCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES)
                .setMaxChunkSize(64 << 10), false, false));
            ch.pipeline().addLast("upstream", new HttpUpstreamHandler());
          }
        });
    ChannelFuture connect = bootstrap.connect(host, port);
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        promise.tryFailure(f.cause());
        return;
      }
      SslHandler tls = connect.channel().pipeline().get(SslHandler.class);
      if (tls == null) {
        promise.trySuccess(connect.channel());
      } else {
        tls.handshakeFuture().addListener(h -> {
          if (h.isSuccess()) {
            promise.trySuccess(connect.channel());
          } else {
            connect.channel().close();
            promise.tryFailure(h.cause());
          }
        });
      }
    });
    return promise;
  }

  @Override
  public void close() {
    idle.values().forEach(channels -> channels.forEach(Channel::close));
  }
}
