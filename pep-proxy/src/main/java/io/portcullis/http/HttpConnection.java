package io.portcullis.http;

import io.netty.channel.Channel;
import io.portcullis.audit.SessionEnded;
import io.portcullis.config.TargetSettings;
import io.portcullis.document.SessionInfo;
import io.portcullis.identity.VerifiedToken;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to an HTTP listener (HTTP/1.1, or HTTP/2 with its streams): where it
 * comes from, the tokens it presented, and its sessions by identity. Touched only on the
 * connection's event loop (HTTP/2 stream channels share their parent's).
 */
final class HttpConnection {

  private static final Logger log = LoggerFactory.getLogger(HttpConnection.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  final HttpServices services;
  final TargetSettings target;
  final HttpProtocol protocol;
  final HttpUpstream upstream;
  final Channel channel;
  final boolean tls;
  final Instant connectedAt;
  private final Map<String, HttpSession> sessions = new HashMap<>();
  /** The last token verified on this connection and what it said: most clients send one token. */
  private String lastToken;
  private VerifiedToken lastVerified;
  private boolean closed;

  HttpConnection(HttpServices services, TargetSettings target, HttpProtocol protocol,
      HttpUpstream upstream, Channel channel, boolean tls) {
    this.services = services;
    this.target = target;
    this.protocol = protocol;
    this.upstream = upstream;
    this.channel = channel;
    this.tls = tls;
    this.connectedAt = services.clock().instant();
  }

  /** What {@code token} said when it was verified last on this connection, if still valid. */
  VerifiedToken remembered(String token) {
    if (token.equals(lastToken) && lastVerified.expiresAt().isAfter(services.clock().instant())) {
      return lastVerified;
    }
    return null;
  }

  void remember(String token, VerifiedToken verified) {
    lastToken = token;
    lastVerified = verified;
  }

  /** The session of an identity on this connection, started (and its start recorded) on first use. */
  HttpSession session(VerifiedToken token) {
    String key = token.issuer() + '\u0000' + token.subject();
    HttpSession session = sessions.get(key);
    if (session != null) {
      return session;
    }
    InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
    SessionInfo info = new SessionInfo(nextId(), protocol.name(), target.name(), services.clock().instant(),
        new SessionInfo.Source(remote.getAddress().getHostAddress(), remote.getPort(), tls));
    var identity = token.toIdentity();
    session = new HttpSession(info, identity, services.monitoring().open(info, identity),
        services.audit().sessionStarted(info, identity, null));
    sessions.put(key, session);
    log.info("session start id={} subject={} groups={} target={} source={}:{} tls={}", info.id(),
        token.subject(), token.groups(), target.name(), info.source().ip(), info.source().port(), tls);
    return session;
  }

  /** Ends every session of the connection: monitoring and the audit log hear of each. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (HttpSession s : sessions.values()) {
      s.monitor.closed(s.endReason);
      long ms = Duration.between(s.info.startedAt(), services.clock().instant()).toMillis();
      services.audit().sessionEnded(new SessionEnded(s.info.id(), ms, s.endReason, null, s.requests,
          s.allowed, s.denied)).exceptionally(e -> {
            log.error("session {}: its end could not be recorded: {}", s.info.id(), e.getMessage());
            return null;
          });
      log.info("session end id={} subject={} target={} allowed={} denied={} reason={}", s.info.id(),
          s.identity.subject(), target.name(), s.allowed, s.denied, s.endReason);
    }
    sessions.clear();
  }

  private static String nextId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return "ses_" + HexFormat.of().formatHex(bytes);
  }
}
