package io.portcullis.pg;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.config.TargetSettings;
import io.portcullis.protocol.pg.SSLRequest;
import java.io.File;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Negotiates TLS on the gateway's connection to a target, as libpq's sslmode does: sends
 * SSLRequest, and on 'S' starts TLS (verifying the server's certificate and host name for
 * verify-full) before anything else is sent; a target that answers 'N' is refused.
 */
final class PgUpstreamTls extends ChannelInboundHandlerAdapter {

  private final TargetSettings target;
  private final Runnable onSecured;
  private final java.util.function.Consumer<String> onRefused;

  PgUpstreamTls(TargetSettings target, Runnable onSecured, java.util.function.Consumer<String> onRefused) {
    this.target = target;
    this.onSecured = onSecured;
    this.onRefused = onRefused;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ByteBuf out = ctx.alloc().buffer(8);
    SSLRequest.INSTANCE.encode(out);
    ctx.writeAndFlush(out);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    try {
      byte answer = in.readByte();
      if (in.isReadable()) {
        // Bytes behind the answer were sent before TLS: never trust them (CVE-2021-23214).
        onRefused.accept("target " + target.name() + " sent data before the TLS handshake");
        return;
      }
      if (answer != 'S') {
        onRefused.accept("target " + target.name() + " does not accept TLS (ssl_mode " + target.sslMode() + ")");
        return;
      }
      SslHandler tls = context().newHandler(ctx.alloc(), target.host(), target.port());
      if ("verify-full".equals(target.sslMode())) {
        SSLEngine engine = tls.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
      }
      ctx.pipeline().replace(this, "tls", tls);
      tls.handshakeFuture().addListener(f -> {
        if (f.isSuccess()) {
          onSecured.run();
        } else {
          onRefused.accept("TLS with target " + target.name() + " failed: " + PgUpstream.rootMessage(f.cause()));
        }
      });
    } catch (SSLException e) {
      onRefused.accept("TLS with target " + target.name() + " cannot be set up: " + e.getMessage());
    } finally {
      ReferenceCountUtil.release(in);
    }
  }

  private SslContext context() throws SSLException {
    SslContextBuilder builder = SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2");
    if ("verify-full".equals(target.sslMode())) {
      builder.trustManager(new File(target.sslRootCert()));
    } else {
      // ssl_mode require: encrypted, but the server is not authenticated (as libpq's require).
      builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
    }
    return builder.build();
  }
}
