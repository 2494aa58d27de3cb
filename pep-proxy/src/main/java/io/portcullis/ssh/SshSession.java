package io.portcullis.ssh;

import static java.util.Objects.requireNonNull;

import io.portcullis.audit.SessionEnded;
import io.portcullis.audit.TerminalOutput;
import io.portcullis.config.TargetSettings;
import io.portcullis.document.Identity;
import io.portcullis.document.SessionInfo;
import io.portcullis.document.SshRequest;
import io.portcullis.monitor.SessionMonitor;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated SSH connection: who it is, which target it names, what it has done, and its
 * connection to the target (opened at the first allowed channel, shared by its channels).
 * Channels run on their own threads, so the counters are atomic.
 */
public final class SshSession {

  private static final Logger log = LoggerFactory.getLogger(SshSession.class);

  /** Where a session is kept on its MINA server session. */
  static final AttributeKey<SshSession> KEY = new AttributeKey<>();

  final SshServices services;
  final SessionInfo info;
  final Identity identity;
  final TargetSettings target;
  final SessionMonitor monitor;
  final long startNanos = System.nanoTime();
  private final AtomicLong requests = new AtomicLong();
  final AtomicLong allowed = new AtomicLong();
  final AtomicLong denied = new AtomicLong();
  /** Approvals this session's held requests wait for, and the channel thread that waits. */
  final java.util.Map<String, Thread> heldApprovals = new ConcurrentHashMap<>();
  volatile String endReason = "client_closed";
  volatile String endDetail;
  private ClientSession upstream;
  private boolean ended;

  SshSession(SshServices services, SessionInfo info, Identity identity, TargetSettings target) {
    this.services = requireNonNull(services, "services");
    this.info = requireNonNull(info, "info");
    this.identity = requireNonNull(identity, "identity");
    this.target = requireNonNull(target, "target");
    this.monitor = services.monitoring().open(info, identity);
  }

  /** The session attached to a MINA session, or null before authentication. */
  public static SshSession of(Session session) {
    return session.getAttribute(KEY);
  }

  public SessionInfo info() {
    return info;
  }

  public Identity identity() {
    return identity;
  }

  public TargetSettings target() {
    return target;
  }

  public SshServices services() {
    return services;
  }

  /** The gateway's own account on the target, as the request document's {@code remote_user}. */
  public String remoteUser() {
    return target.user();
  }

  /** Numbers the next request of the session. */
  long nextRequestNo() {
    return requests.incrementAndGet();
  }

  /**
   * Decides {@code request}, holding it for approval when the policy asks (the notice goes to
   * {@code notices}, the client's stderr), and records it; blocks until that is done. The request
   * may go on only when the result is allowed.
   */
  public SshEnforced decide(SshRequest request, OutputStream notices) {
    return SshDecisions.decide(this, request, notices);
  }

  /*
   * The session's monitor is not thread-safe, and an SSH session's channels and forwarding
   * requests run on threads of their own: every use of it holds its lock.
   */

  io.portcullis.document.Context.Stats stats() {
    synchronized (monitor) {
      return monitor.stats();
    }
  }

  void answered(io.portcullis.policy.PolicyVerdict verdict) {
    synchronized (monitor) {
      monitor.answered(verdict);
    }
  }

  void decided(long requestNo, String request, io.portcullis.policy.PolicyVerdict verdict, boolean runs,
      io.portcullis.document.Context.Stats stats) {
    synchronized (monitor) {
      monitor.decided(requestNo, request, verdict, runs, false, java.util.List.of(), stats);
    }
  }

  /** Records what came back for an allowed request; nothing waits for it. */
  public void completed(long requestNo, long bytes, long masked, String error, long durationUs, String capture) {
    synchronized (monitor) {
      monitor.returned(0, bytes);
    }
    services.audit().requestCompleted(info.id(), requestNo, null, bytes, masked, error, durationUs, capture);
  }

  /** Records terminal output (stream {@code o}) or a resize ({@code r}); nothing waits for it. */
  void terminal(String stream, String data) {
    long elapsedUs = (System.nanoTime() - startNanos) / 1000;
    services.audit().terminalOutput(new TerminalOutput(info.id(), elapsedUs, stream, data));
  }

  /** The authenticated connection to the target, opened on first use. */
  synchronized ClientSession upstream(SshUpstream connector) throws IOException {
    if (ended) {
      throw new IOException("the session has ended");
    }
    if (upstream == null || upstream.isClosed() || upstream.isClosing()) {
      upstream = connector.connect(target, services.env());
    }
    return upstream;
  }

  /** Ends the session: closes the target connection, cancels held approvals, records the end. */
  void ended() {
    ClientSession open;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      open = upstream;
    }
    if (open != null) {
      open.close(true);
    }
    for (String id : heldApprovals.keySet()) {
      services.approvals().cancel(id, "client disconnected");
    }
    synchronized (monitor) {
      monitor.closed(endReason);
    }
    long durationMs = Duration.between(info.startedAt(), services.clock().instant()).toMillis();
    services.audit().sessionEnded(new SessionEnded(info.id(), durationMs, endReason, endDetail,
        requests.get(), allowed.get(), denied.get())).exceptionally(e -> {
          log.error("session {}: its end could not be recorded: {}", info.id(), e.getMessage());
          return null;
        });
    log.info("session end id={} subject={} target={} allowed={} denied={} reason={}", info.id(),
        identity.subject(), target.name(), allowed.get(), denied.get(), endReason);
  }
}
