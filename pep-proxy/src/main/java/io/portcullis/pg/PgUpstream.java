package io.portcullis.pg;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Promise;
import io.portcullis.config.TargetSettings;
import io.portcullis.protocol.pg.BackendKeyData;
import io.portcullis.protocol.pg.ParameterStatus;
import io.portcullis.protocol.pg.PgMessageFramer;
import io.portcullis.protocol.pg.ReadyForQuery;
import java.util.List;
import java.util.Map;

/** Opens the gateway's own authenticated connection to a PostgreSQL target. */
final class PgUpstream {

  /**
   * A connection to the target, authenticated and ready for queries.
   *
   * @param channel the connection, with the frame decoder in place and no handler after it yet
   * @param parameters the server's ParameterStatus messages, to pass on to the client
   * @param key the server's cancel key for this connection
   * @param ready the server's first ReadyForQuery
   */
  record Connection(Channel channel, List<ParameterStatus> parameters, BackendKeyData key,
      ReadyForQuery ready) {}

  private PgUpstream() {}

  /**
   * Connects on the client's event loop and authenticates as the target's configured user.
   *
   * @param startupParameters parameters for the server's StartupMessage besides user and database
   */
  static Promise<Connection> connect(EventLoop loop, TargetSettings target, String password,
      Map<String, String> startupParameters, int maxServerMessageBytes, int connectTimeoutMs) {
    Promise<Connection> promise = loop.newPromise();
    Bootstrap bootstrap = new Bootstrap()
        .group(loop)
        .channel(io.portcullis.gateway.NettyTransport.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            Runnable authenticate = () -> {
              ch.pipeline().addLast("framer", new PgMessageFramer(maxServerMessageBytes));
              ch.pipeline().addLast("auth",
                  new PgUpstreamAuthHandler(target, password, startupParameters, promise));
            };
            if ("disable".equals(target.sslMode())) {
              authenticate.run();
            } else {
              ch.pipeline().addLast("tls-negotiation", new PgUpstreamTls(target, authenticate, reason -> {
                promise.tryFailure(new PgRefusal(PgErrors.CONNECTION_FAILURE, reason));
                ch.close();
              }));
            }
          }
        });
    bootstrap.connect(target.host(), target.port()).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        promise.tryFailure(new PgRefusal(PgErrors.CONNECTION_FAILURE,
            "cannot connect to target " + target.name() + " at " + target.address() + ": "
                + rootMessage(f.cause())));
      }
    });
    return promise;
  }

  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }
}
