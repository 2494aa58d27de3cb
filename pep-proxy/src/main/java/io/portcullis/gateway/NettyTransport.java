package io.portcullis.gateway;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The network transport: native epoll where it loads (Linux), else Java NIO. Channels must match
 * the event loops they run on, so everything that opens a socket asks here.
 */
public final class NettyTransport {

  private static final boolean EPOLL = Epoll.isAvailable() && !Boolean.getBoolean("portcullis.nio");

  private NettyTransport() {}

  /** An event loop group of {@code threads} threads for this transport. */
  public static EventLoopGroup group(int threads) {
    IoHandlerFactory factory = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, factory);
  }

  /** The server socket channel class for this transport. */
  public static Class<? extends ServerChannel> serverChannel() {
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** The client socket channel class for this transport. */
  public static Class<? extends SocketChannel> socketChannel() {
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** {@code epoll} or {@code nio}, for the start-up log line. */
  public static String name() {
    return EPOLL ? "epoll" : "nio";
  }
}
