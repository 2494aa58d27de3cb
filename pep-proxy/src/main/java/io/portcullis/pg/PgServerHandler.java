package io.portcullis.pg;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.protocol.pg.ErrorResponse;
import io.portcullis.protocol.pg.ParameterStatus;
import io.portcullis.protocol.pg.PgFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays the server's messages to the client, rewriting the errors of denied statements into the
 * policy's error, tracking transaction status, and ending the session if the server switches to a
 * setting under which the gateway would misread SQL.
 */
final class PgServerHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(PgServerHandler.class);

  private final PgSession session;
  private final PgClientHandler clientHandler;

  PgServerHandler(PgSession session, PgClientHandler clientHandler) {
    this.session = session;
    this.clientHandler = clientHandler;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof PgFrame frame)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    switch (frame.type()) {
      case 'Z' -> {
        session.onReadyForQuery(frame.payload().getByte(frame.payload().readerIndex()));
        relay(frame);
      }
      case 'E' -> onError(frame);
      case 'S' -> onParameterStatus(frame);
      default -> relay(frame);
    }
  }

  private void onError(PgFrame frame) {
    if (session.poisons.isEmpty()) {
      relay(frame);
      return;
    }
    ErrorResponse error = ErrorResponse.decode(frame.payload());
    PgSession.Poison poison = session.takePoison(error.field('M'));
    if (poison == null) {
      relay(frame);
      return;
    }
    frame.release();
    ByteBuf out = session.client.alloc().buffer();
    PgErrors.denial(poison.verdict()).encode(out);
    session.client.write(out, session.client.voidPromise());
  }

  private void onParameterStatus(PgFrame frame) {
    ParameterStatus status = ParameterStatus.decode(frame.payload());
    String unsafe = PgSafeSettings.violation(status.name(), status.value());
    if (unsafe != null) {
      frame.release();
      log.warn("session {}: closing: {}", session.info.id(), unsafe);
      PgErrors.closeWithFatal(session.client, PgErrors.FEATURE_NOT_SUPPORTED, unsafe);
      session.server.close();
      return;
    }
    relay(frame);
  }

  private void relay(PgFrame frame) {
    ByteBuf bytes = frame.frame().retainedDuplicate();
    frame.release();
    session.client.write(bytes, session.client.voidPromise());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    session.client.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // Whether the client may send more also depends on pending decisions: the client handler knows.
    clientHandler.updateAutoRead();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    // The server ended the session (it has usually sent a FATAL error already): let the client go.
    if (session.client.isActive()) {
      log.info("session {}: target {} closed the connection", session.info.id(), session.target.name());
      session.client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.warn("session {}: closing: error on the connection to target {}: {}",
        session.info.id(), session.target.name(), cause.toString());
    PgErrors.closeWithFatal(session.client, PgErrors.CONNECTION_FAILURE,
        "the connection to target " + session.target.name() + " failed");
    ctx.close();
  }
}
