package io.portcullis.ssh;

import io.portcullis.config.TargetSettings;
import io.portcullis.document.SessionInfo;
import io.portcullis.identity.InvalidTokenException;
import io.portcullis.identity.VerifiedToken;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.server.auth.keyboard.InteractiveChallenge;
import org.apache.sshd.server.auth.keyboard.KeyboardInteractiveAuthenticator;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.auth.password.PasswordChangeRequiredException;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs clients in with their OIDC token, given as the password or as the answer to the one
 * keyboard-interactive prompt. The SSH user name names the target. Once the token is verified and
 * the session's start is on record, the session is attached to the MINA session; it ends when the
 * token expires.
 */
final class SshAuthenticator implements PasswordAuthenticator, KeyboardInteractiveAuthenticator {

  private static final Logger log = LoggerFactory.getLogger(SshAuthenticator.class);
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private final SshServices services;

  SshAuthenticator(SshServices services) {
    this.services = services;
  }

  @Override
  public boolean authenticate(String username, String password, ServerSession session)
      throws PasswordChangeRequiredException {
    return login(username, password, session);
  }

  @Override
  public InteractiveChallenge generateChallenge(ServerSession session, String username, String lang,
      String subMethods) {
    InteractiveChallenge challenge = new InteractiveChallenge();
    challenge.setInteractionName("Portcullis");
    challenge.setInteractionInstruction("Log in to target " + username + " with your OIDC token.");
    challenge.addPrompt("Token: ", false);
    return challenge;
  }

  @Override
  public boolean authenticate(ServerSession session, String username, List<String> responses) {
    return responses != null && responses.size() == 1 && login(username, responses.get(0), session);
  }

  private boolean login(String username, String token, ServerSession session) {
    if (SshSession.of(session) != null) {
      return true;
    }
    TargetSettings target = services.config().target(username).filter(t -> "ssh".equals(t.protocol()))
        .orElse(null);
    if (target == null) {
      log.info("ssh login refused from {}: no ssh target named {}", session.getClientAddress(), safe(username));
      return false;
    }
    VerifiedToken verified;
    try {
      verified = services.verifier().verify(token);
    } catch (InvalidTokenException e) {
      log.info("ssh login refused from {} target={}: token rejected: {}", session.getClientAddress(),
          target.name(), e.getMessage());
      return false;
    }
    if (!services.audit().healthy()) {
      log.error("ssh session for {} to {} refused: the audit log cannot record it: {}", verified.subject(),
          target.name(), services.audit().problem());
      return false;
    }
    InetSocketAddress remote = (InetSocketAddress) session.getClientAddress();
    SessionInfo info = new SessionInfo(nextId(), "ssh", target.name(), services.clock().instant(),
        new SessionInfo.Source(remote.getAddress().getHostAddress(), remote.getPort(), false));
    try {
      // The session goes on only once its start is on record.
      services.audit().sessionStarted(info, verified.toIdentity(), null).join();
    } catch (RuntimeException e) {
      log.error("ssh session for {} to {} refused: its start could not be recorded: {}", verified.subject(),
          target.name(), e.getMessage());
      return false;
    }
    SshSession ssh = new SshSession(services, info, verified.toIdentity(), target);
    session.setAttribute(SshSession.KEY, ssh);
    scheduleTokenExpiry(session, ssh, verified.expiresAt());
    log.info("session start id={} subject={} groups={} target={} source={}:{} protocol=ssh", info.id(),
        verified.subject(), verified.groups(), target.name(), info.source().ip(), info.source().port());
    return true;
  }

  /** A session lives no longer than the token that opened it. */
  private void scheduleTokenExpiry(ServerSession session, SshSession ssh, Instant expiresAt) {
    long delayMs = Math.max(0, expiresAt.toEpochMilli() - services.clock().millis());
    session.getFactoryManager().getScheduledExecutorService().schedule(() -> {
      if (session.isOpen()) {
        log.info("session {}: token expired, closing", ssh.info.id());
        ssh.endReason = "token_expired";
        try {
          session.disconnect(org.apache.sshd.common.SshConstants.SSH2_DISCONNECT_BY_APPLICATION,
              "portcullis: token expired; reconnect with a new token");
        } catch (java.io.IOException e) {
          session.close(true);
        }
      }
    }, delayMs, TimeUnit.MILLISECONDS);
  }

  /** Session ids as PostgreSQL's: {@code ses_} and 16 random hex digits. */
  private static String nextId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return "ses_" + java.util.HexFormat.of().formatHex(bytes);
  }

  private static String safe(String name) {
    return name == null ? "null" : name.replaceAll("[^A-Za-z0-9._-]", "?");
  }
}
