package io.portcullis.pg;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.portcullis.policy.PolicyVerdict;
import io.portcullis.protocol.pg.ErrorResponse;
import io.portcullis.protocol.pg.NoticeResponse;
import java.util.ArrayList;
import java.util.List;

/** The gateway's own PostgreSQL errors, in the protocol's form. */
final class PgErrors {

  /** insufficient_privilege: what a denied statement reports. */
  static final String INSUFFICIENT_PRIVILEGE = "42501";
  /** protocol_violation. */
  static final String PROTOCOL_VIOLATION = "08P01";
  /** invalid_password: a refused token. */
  static final String INVALID_PASSWORD = "28P01";
  /** invalid_authorization_specification. */
  static final String INVALID_AUTHORIZATION = "28000";
  /** invalid_catalog_name: an unknown target. */
  static final String INVALID_CATALOG_NAME = "3D000";
  /** connection_failure: the target cannot be reached. */
  static final String CONNECTION_FAILURE = "08006";
  /** cannot_connect_now: the gateway cannot start a session now (its audit log is down). */
  static final String CANNOT_CONNECT_NOW = "57P03";
  /** admin_shutdown: the policy ended the session. */
  static final String ADMIN_SHUTDOWN = "57P01";
  /** internal_error. */
  static final String INTERNAL_ERROR = "XX000";
  /** feature_not_supported. */
  static final String FEATURE_NOT_SUPPORTED = "0A000";

  private PgErrors() {}

  /** The exception a decoder wrapped, or the exception itself. */
  static Throwable unwrap(Throwable cause) {
    return cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
        ? cause.getCause() : cause;
  }

  /**
   * Sends a FATAL error and closes the connection so that the client reads it: output is shut
   * down after the error, and whatever the client still sends is read and dropped until it closes
   * (or 2 s pass). Closing at once would answer the client's late bytes with a reset, and a reset
   * makes the client's kernel drop the unread error.
   */
  static void closeWithFatal(io.netty.channel.Channel channel, String sqlState, String message) {
    if (!channel.isActive() || channel.pipeline().get("discard") != null) {
      return; // Gone, or closing with an error already.
    }
    channel.pipeline().addFirst("discard", new io.netty.channel.ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
        io.netty.util.ReferenceCountUtil.release(msg);
      }

      @Override
      public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
      }
    });
    channel.config().setAutoRead(true);
    channel.writeAndFlush(fatal(channel.alloc(), sqlState, message)).addListener(written -> {
      if (channel instanceof io.netty.channel.socket.SocketChannel socket && written.isSuccess()) {
        socket.shutdownOutput();
        channel.eventLoop().schedule(() -> channel.close(), 2, java.util.concurrent.TimeUnit.SECONDS);
      } else {
        channel.close();
      }
    });
  }

  /** A FATAL error, after which the gateway closes the connection. */
  static ByteBuf fatal(ByteBufAllocator alloc, String sqlState, String message) {
    ByteBuf out = alloc.buffer();
    ErrorResponse.of("FATAL", sqlState, message, null, null).encode(out);
    return out;
  }

  /** A NOTICE from the gateway (SQLSTATE 01000), with an optional detail and hint. */
  static NoticeResponse notice(String message, String detail, String hint) {
    List<NoticeResponse.Field> fields = new ArrayList<>();
    fields.add(new NoticeResponse.Field(ErrorResponse.Field.SEVERITY, "NOTICE"));
    fields.add(new NoticeResponse.Field(ErrorResponse.Field.SEVERITY_NONLOCALIZED, "NOTICE"));
    fields.add(new NoticeResponse.Field(ErrorResponse.Field.SQLSTATE, "01000"));
    fields.add(new NoticeResponse.Field(ErrorResponse.Field.MESSAGE, message));
    if (detail != null) {
      fields.add(new NoticeResponse.Field(ErrorResponse.Field.DETAIL, detail));
    }
    if (hint != null) {
      fields.add(new NoticeResponse.Field(ErrorResponse.Field.HINT, hint));
    }
    return new NoticeResponse(fields);
  }

  /** The error a client sees for a denied request, with the policy's reasons. */
  static ErrorResponse denial(PolicyVerdict verdict) {
    var decision = verdict.decision();
    String reasons =
        decision.reasons().isEmpty() ? "denied by policy" : String.join("; ", decision.reasons());
    String detail = null;
    String hint = null;
    switch (verdict.source()) {
      case OPA, CACHE -> {
        if (verdict.decisionId() != null) {
          detail = "decision " + verdict.decisionId()
              + (verdict.revision() == null || verdict.revision().isEmpty()
                  ? "" : " (policy revision " + verdict.revision() + ")");
        }
      }
      case FAILURE -> hint = "The gateway fails closed: no statement runs without a policy decision it can enforce and record.";
      case GATEWAY -> { }
    }
    return ErrorResponse.of("ERROR", INSUFFICIENT_PRIVILEGE, "portcullis: " + reasons, detail, hint);
  }
}
