package io.portcullis.pg;

import com.ongres.scram.client.ScramClient;
import com.ongres.scram.common.exception.ScramException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.portcullis.config.TargetSettings;
import io.portcullis.protocol.pg.AuthenticationCleartextPassword;
import io.portcullis.protocol.pg.AuthenticationMD5Password;
import io.portcullis.protocol.pg.AuthenticationOk;
import io.portcullis.protocol.pg.AuthenticationSASL;
import io.portcullis.protocol.pg.AuthenticationSASLContinue;
import io.portcullis.protocol.pg.AuthenticationSASLFinal;
import io.portcullis.protocol.pg.BackendKeyData;
import io.portcullis.protocol.pg.BackendMessage;
import io.portcullis.protocol.pg.BackendMessages;
import io.portcullis.protocol.pg.ErrorResponse;
import io.portcullis.protocol.pg.FrontendMessage;
import io.portcullis.protocol.pg.ParameterStatus;
import io.portcullis.protocol.pg.PasswordMessage;
import io.portcullis.protocol.pg.PgFrame;
import io.portcullis.protocol.pg.ReadyForQuery;
import io.portcullis.protocol.pg.SASLInitialResponse;
import io.portcullis.protocol.pg.SASLResponse;
import io.portcullis.protocol.pg.StartupMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives the startup and authentication of the gateway's connection to a target: SCRAM-SHA-256
 * (through the ongres SCRAM library), md5, cleartext or trust, then collects the server's
 * parameters and cancel key until the first ReadyForQuery.
 */
final class PgUpstreamAuthHandler extends ChannelInboundHandlerAdapter {

  private static final String SCRAM_SHA_256 = "SCRAM-SHA-256";

  private final TargetSettings target;
  private final String password;
  private final Map<String, String> startupParameters;
  private final Promise<PgUpstream.Connection> promise;
  private final List<ParameterStatus> parameters = new ArrayList<>();
  private BackendKeyData key;
  private ScramClient scram;

  PgUpstreamAuthHandler(TargetSettings target, String password, Map<String, String> startupParameters,
      Promise<PgUpstream.Connection> promise) {
    this.target = target;
    this.password = password;
    this.startupParameters = startupParameters;
    this.promise = promise;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    // Added after a TLS handshake, the channel is active already: start right away.
    if (ctx.channel().isActive()) {
      sendStartup(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    sendStartup(ctx);
    ctx.fireChannelActive();
  }

  private void sendStartup(ChannelHandlerContext ctx) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("user", target.user());
    params.put("database", target.database());
    params.putAll(startupParameters);
    ByteBuf out = ctx.alloc().buffer();
    new StartupMessage(196608, params).encode(out);
    ctx.writeAndFlush(out);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof PgFrame frame)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      BackendMessage message = BackendMessages.decode(frame.type(), frame.payload());
      onMessage(ctx, message);
    } catch (ScramException e) {
      fail(ctx, PgErrors.INVALID_AUTHORIZATION, "SCRAM authentication with target " + target.name()
          + " failed: " + e.getMessage());
    } catch (IllegalStateException e) {
      fail(ctx, PgErrors.INVALID_AUTHORIZATION, e.getMessage());
    } catch (RuntimeException e) {
      fail(ctx, PgErrors.PROTOCOL_VIOLATION, "target " + target.name() + " sent an invalid message: "
          + e.getMessage());
    } finally {
      frame.release();
    }
  }

  private void onMessage(ChannelHandlerContext ctx, BackendMessage message) throws ScramException {
    switch (message) {
      case AuthenticationOk ok -> { }
      case AuthenticationCleartextPassword p -> send(ctx, new PasswordMessage(requirePassword()));
      case AuthenticationMD5Password md5 -> send(ctx, new PasswordMessage(md5(md5.salt())));
      case AuthenticationSASL sasl -> startScram(ctx, sasl.mechanisms());
      case AuthenticationSASLContinue c -> {
        scram.serverFirstMessage(new String(c.data(), StandardCharsets.UTF_8));
        send(ctx, new SASLResponse(
            scram.clientFinalMessage().toString().getBytes(StandardCharsets.UTF_8)));
      }
      case AuthenticationSASLFinal f ->
          scram.serverFinalMessage(new String(f.data(), StandardCharsets.UTF_8));
      case ParameterStatus status -> parameters.add(status);
      case BackendKeyData data -> key = data;
      case ReadyForQuery ready -> {
        ctx.pipeline().remove(this);
        promise.trySuccess(new PgUpstream.Connection(ctx.channel(), List.copyOf(parameters), key, ready));
      }
      case ErrorResponse error -> fail(ctx, error.field('C') == null ? PgErrors.CONNECTION_FAILURE
          : error.field('C'), "target " + target.name() + " refused the gateway: " + error.field('M'));
      default -> {
        if (message instanceof io.portcullis.protocol.pg.AuthenticationUnsupported u) {
          fail(ctx, PgErrors.FEATURE_NOT_SUPPORTED, "target " + target.name()
              + " asks for an authentication method the gateway does not support (code " + u.code() + ")");
        }
        // NoticeResponse, NegotiateProtocolVersion and the like need no answer during startup.
      }
    }
  }

  private void startScram(ChannelHandlerContext ctx, List<String> mechanisms) {
    if (!mechanisms.contains(SCRAM_SHA_256)) {
      fail(ctx, PgErrors.FEATURE_NOT_SUPPORTED, "target " + target.name()
          + " offers only SASL mechanisms " + mechanisms + " (expected: " + SCRAM_SHA_256 + ")");
      return;
    }
    scram = ScramClient.builder()
        .advertisedMechanisms(List.of(SCRAM_SHA_256))
        .username("*") // PostgreSQL takes the user from the startup message.
        .password(requirePassword().toCharArray())
        .build();
    send(ctx, new SASLInitialResponse(SCRAM_SHA_256,
        scram.clientFirstMessage().toString().getBytes(StandardCharsets.UTF_8)));
  }

  private String requirePassword() {
    if (password == null) {
      throw new IllegalStateException("target " + target.name()
          + " asks for a password but none is configured (password_env or password_file)");
    }
    return password;
  }

  private String md5(byte[] salt) {
    try {
      MessageDigest digest = MessageDigest.getInstance("MD5");
      HexFormat hex = HexFormat.of();
      String inner = hex.formatHex(digest.digest(
          (requirePassword() + target.user()).getBytes(StandardCharsets.UTF_8)));
      digest.update(inner.getBytes(StandardCharsets.US_ASCII));
      digest.update(salt);
      return "md5" + hex.formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is not available", e);
    }
  }

  private static void send(ChannelHandlerContext ctx, FrontendMessage message) {
    ByteBuf out = ctx.alloc().buffer();
    message.encode(out);
    ctx.writeAndFlush(out);
  }

  private void fail(ChannelHandlerContext ctx, String sqlState, String message) {
    promise.tryFailure(new PgRefusal(sqlState, message));
    ctx.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, PgErrors.CONNECTION_FAILURE, "target " + target.name() + ": "
        + PgUpstream.rootMessage(cause));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    promise.tryFailure(new PgRefusal(PgErrors.CONNECTION_FAILURE,
        "target " + target.name() + " closed the connection during startup"));
    ctx.fireChannelInactive();
  }
}
