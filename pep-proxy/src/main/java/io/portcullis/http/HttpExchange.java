package io.portcullis.http;

import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.document.RequestDocument;
import io.portcullis.identity.VerifiedToken;
import io.portcullis.policy.Decision;
import io.portcullis.policy.PolicyVerdict;
import io.portcullis.protocol.http.HttpTarget;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;

/**
 * One request and its response as it passes through the gateway: what the client sent, what was
 * decided, and how far forwarding got. Touched only on the client channel's event loop.
 */
final class HttpExchange {

  final HttpRequest head;
  final long startNanos = System.nanoTime();
  HttpTarget target;
  String token;
  VerifiedToken verified;
  HttpSession session;
  String upgrade;
  boolean expectContinue;
  boolean continueSent;
  /** Whether the client keeps the connection open after this exchange (HTTP/1.1). */
  boolean keepAlive;
  Long contentLength;
  /** The body's length when the request came whole in one message (HTTP/2), else null. */
  Long fullLength;
  /** Body bytes received from the client so far. */
  long bodyRead;
  /** Whether the client's last body part arrived. */
  boolean bodyDone;
  /** Whether the body is read before deciding, for the request document. */
  boolean collect;
  /** Body parts received but not yet forwarded. */
  final ArrayDeque<HttpContent> pending = new ArrayDeque<>();

  HttpDescribed described;
  RequestDocument document;
  long requestNo;
  PolicyVerdict verdict;
  HttpMaskRules rules = HttpMaskRules.NONE;
  Decision.HeaderChanges headerChanges;
  /** An approval this request waits for, or null. */
  String heldApproval;

  Channel upstream;
  boolean retried;
  boolean forwarded;
  boolean responseStarted;
  boolean responseDone;
  int status;
  long responseBytes;
  long maskedValues;
  /** Whether the upstream connection may serve another request after this one. */
  boolean upstreamReusable = true;
  CompositeByteBuf maskBuffer;
  /** The head of a response being read whole for masking. */
  io.netty.handler.codec.http.HttpResponse maskHead;
  ScheduledFuture<?> deadline;
  /** Whether the exchange became a byte relay after a 101. */
  boolean relayed;

  HttpExchange(HttpRequest head) {
    this.head = head;
  }

  /** Body bytes held before forwarding. */
  long pendingBytes() {
    long n = 0;
    for (HttpContent c : pending) {
      n += c.content().readableBytes();
    }
    return n;
  }

  /** Releases the body parts held before forwarding. */
  void releasePending() {
    HttpContent c;
    while ((c = pending.poll()) != null) {
      ReferenceCountUtil.release(c);
    }
  }

  /** Releases every buffer this exchange still holds, and cancels its stream deadline. */
  void release() {
    releasePending();
    if (maskBuffer != null) {
      maskBuffer.release();
      maskBuffer = null;
    }
    if (deadline != null) {
      deadline.cancel(false);
    }
  }
}
