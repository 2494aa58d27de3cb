package io.portcullis.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.http.HttpJsonMasker.NotJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays an upstream response to the client: streamed as it comes, or, when the decision masks,
 * read whole (up to {@code http.mask_max_bytes}), masked and sent; a response that must be masked
 * and cannot be is refused with 502, never sent unmasked. A 101 to an allowed upgrade turns both
 * connections into a byte relay.
 */
final class HttpResponder {

  private static final Logger log = LoggerFactory.getLogger(HttpResponder.class);

  private final HttpExchangeHandler handler;

  HttpResponder(HttpExchangeHandler handler) {
    this.handler = handler;
  }

  /** The listener for the upstream connection of exchange {@code x}. */
  HttpUpstreamHandler.Listener listener(HttpExchange x) {
    return new HttpUpstreamHandler.Listener() {
      @Override
      public void upstreamRead(Object msg) {
        if (!handler.current(x)) {
          ReferenceCountUtil.release(msg);
          return;
        }
        try {
          read(x, msg);
        } catch (RuntimeException e) {
          log.warn("{}: response failed in the gateway: {}", handler.connection().target.name(),
              e.toString(), e);
          handler.ctx().close();
        }
      }

      @Override
      public void upstreamReadComplete() {
        if (handler.current(x) || x.responseDone) {
          handler.ctx().flush();
        }
      }

      @Override
      public void upstreamClosed(Throwable cause) {
        if (handler.current(x) && !x.responseDone) {
          handler.upstreamFailed(x, cause);
        }
      }
    };
  }

  private void read(HttpExchange x, Object msg) {
    if (msg instanceof HttpResponse response) {
      onResponse(x, response);
    }
    if (msg instanceof HttpContent content) {
      if (!handler.current(x)) {
        content.release();
        return;
      }
      onContent(x, content);
    } else if (!(msg instanceof HttpResponse)) {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onResponse(HttpExchange x, HttpResponse response) {
    ChannelHandlerContext ctx = handler.ctx();
    int status = response.status().code();
    if (status == 100) {
      return; // The gateway already answered the client's Expect itself.
    }
    x.status = status;
    x.upstreamReusable = HttpUtil.isKeepAlive(response);
    if (x.upgrade != null) {
      if (status == 101) {
        switchToRelay(x, response);
        return;
      }
      // A failed upgrade: relay the answer, then close both sides.
      x.upstreamReusable = false;
      x.keepAlive = false;
    }
    boolean bodiless = x.head.method().equals(HttpMethod.HEAD) || status == 204 || status == 304
        || status < 200;
    if (!x.rules.isEmpty() && !bodiless) {
      String type = HttpMedia.mediaType(response.headers().get(HttpHeaderNames.CONTENT_TYPE));
      String encoding = response.headers().get(HttpHeaderNames.CONTENT_ENCODING);
      if (!HttpMedia.isJson(type)) {
        refuseUnmaskable(x, "the response must be masked but is " + (type == null ? "untyped" : type)
            + ", not JSON");
        return;
      }
      if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
        refuseUnmaskable(x, "the response must be masked but is " + encoding + "-encoded");
        return;
      }
      long length = HttpUtil.getContentLength(response, -1L);
      int max = handler.connection().services.http().maskMaxBytes();
      if (length > max) {
        refuseUnmaskable(x, "the response must be masked but is " + length + " bytes (expected: <= "
            + max + ")");
        return;
      }
      x.responseStarted = false;
      x.maskBuffer = ctx.alloc().compositeBuffer(1024);
      x.maskHead = response;
      return;
    }
    HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(),
        response.headers().copy());
    HttpHeaderRules.cleanResponse(out.headers(), false);
    boolean lengthKnown = out.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
    if (!handler.http2() && !lengthKnown && !bodiless) {
      HttpUtil.setTransferEncodingChunked(out, true);
    } else if (handler.http2()) {
      out.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
    }
    if (!handler.http2() && !x.keepAlive) {
      out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    x.responseStarted = true;
    ctx.write(out);
  }

  private void onContent(HttpExchange x, HttpContent content) {
    ChannelHandlerContext ctx = handler.ctx();
    boolean last = content instanceof LastHttpContent;
    x.responseBytes += content.content().readableBytes();
    if (x.maskBuffer != null) {
      int max = handler.connection().services.http().maskMaxBytes();
      if (x.maskBuffer.readableBytes() + content.content().readableBytes() > max) {
        content.release();
        refuseUnmaskable(x, "the response must be masked but is larger than " + max + " bytes");
        return;
      }
      x.maskBuffer.addComponent(true, content.content().retain());
      content.release();
      if (last) {
        sendMasked(x);
      }
      return;
    }
    if (!x.responseStarted) {
      content.release();
      return;
    }
    if (last) {
      ctx.writeAndFlush(content);
      handler.complete(x, null);
      handler.finished(x, x.keepAlive);
    } else {
      ctx.write(content);
      if (!ctx.channel().isWritable()) {
        x.upstream.config().setAutoRead(false); // Read on once the client took what it has.
      }
    }
  }

  private void sendMasked(HttpExchange x) {
    ByteBuf buffer = x.maskBuffer;
    x.maskBuffer = null;
    byte[] body = new byte[buffer.readableBytes()];
    buffer.readBytes(body);
    buffer.release();
    HttpJsonMasker masker = new HttpJsonMasker(x.rules, handler.connection().services.maskKey());
    byte[] masked;
    try {
      masked = masker.mask(body);
    } catch (NotJson e) {
      refuseUnmaskable(x, "the response must be masked but " + e.getMessage().replaceFirst("^the response ", ""));
      return;
    }
    x.maskedValues = masker.maskedValues();
    HttpResponse head = x.maskHead;
    FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, head.status(),
        Unpooled.wrappedBuffer(masked));
    out.headers().set(head.headers());
    HttpHeaderRules.cleanResponse(out.headers(), false);
    out.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
    out.headers().remove(HttpHeaderNames.ETAG); // The body is not the one the tag names.
    out.headers().set(HttpHeaderNames.CONTENT_LENGTH, masked.length);
    if (!handler.http2() && !x.keepAlive) {
      out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    x.responseStarted = true;
    x.responseBytes = masked.length;
    handler.ctx().writeAndFlush(out);
    handler.complete(x, null);
    handler.finished(x, x.keepAlive);
  }

  private void refuseUnmaskable(HttpExchange x, String why) {
    log.warn("{}: response to request {} of session {} refused: {}", handler.connection().target.name(),
        x.requestNo, x.session.info.id(), why);
    x.upstreamReusable = false;
    if (x.upstream != null) {
      x.upstream.close();
    }
    handler.failUpstream(x, 502, "bad_gateway", why + "; it is not sent unmasked");
  }

  /** Sends the 101 and makes both connections a byte relay; nothing is decided after this. */
  private void switchToRelay(HttpExchange x, HttpResponse response) {
    ChannelHandlerContext ctx = handler.ctx();
    HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS,
        response.headers().copy());
    HttpHeaderRules.cleanResponse(out.headers(), true);
    x.responseStarted = true;
    var client = ctx.channel();
    var up = x.upstream;
    x.upstream = null;
    handler.complete(x, null);
    // Encoded now, on this loop; the relay is in place before the upstream's next bytes are read.
    ctx.writeAndFlush(out).addListener(f -> {
      if (!f.isSuccess()) {
        up.close();
      }
    });
    // The stream deadline, if any, stays: it closes the client channel and so the relay.
    x.releasePending();
    handler.upgraded(x);
    HttpRelay.join(client, up, handler.connection()::close);
  }
}
