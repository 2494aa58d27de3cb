package io.portcullis.ssh;

import io.portcullis.document.SshRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What exec, shell and subsystem channels share: the client's streams, the decisions on the
 * channel's environment variables, the connection to the target, and the exit status. Each
 * channel runs on its own virtual thread, so that decisions and approvals may block it.
 */
abstract class SshChannelCommand implements Command {

  private static final Logger log = LoggerFactory.getLogger(SshChannelCommand.class);

  /** The exit status of a request the gateway refused. */
  static final int DENIED = 126;
  /** The exit status when the target cannot be reached or the gateway fails. */
  static final int GATEWAY_ERROR = 255;

  /** Variables MINA sets from the pty request and the login, not from env requests. */
  private static final Set<String> NOT_REQUESTED = Set.of(Environment.ENV_USER, Environment.ENV_TERM,
      Environment.ENV_COLUMNS, Environment.ENV_LINES);

  protected final SshUpstream upstream;
  protected InputStream in;
  protected OutputStream out;
  protected OutputStream err;
  protected ChannelSession channel;
  protected Environment environment;
  protected SshSession session;
  protected volatile ClientChannel target;
  private ExitCallback exit;
  private Thread thread;
  /** The signal that ended the target's command, or null. */
  private volatile String exitSignal;

  SshChannelCommand(SshUpstream upstream) {
    this.upstream = upstream;
  }

  @Override
  public void setInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public void setOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void setErrorStream(OutputStream err) {
    this.err = err;
  }

  @Override
  public void setExitCallback(ExitCallback callback) {
    this.exit = callback;
  }

  @Override
  public void start(ChannelSession channel, Environment env) throws IOException {
    this.channel = channel;
    this.environment = env;
    this.session = SshSession.of(channel.getSession());
    if (session == null) {
      throw new IOException("channel on an unauthenticated session");
    }
    thread = Thread.ofVirtual().name("ssh-" + session.info.id()).start(this::runSafely);
  }

  private void runSafely() {
    int status;
    try {
      status = run();
    } catch (Exception e) {
      log.warn("session {}: channel failed: {}", session.info.id(), e.toString(), e);
      SshDecisions.notice(err, "portcullis: internal gateway error: " + e.getMessage() + "\r\n");
      status = GATEWAY_ERROR;
    }
    ClientChannel open = target;
    if (open != null) {
      open.close(false);
    }
    if (exitSignal != null) {
      sendExitSignal(exitSignal);
    }
    if ("terminated_by_policy".equals(session.endReason)) {
      // Once the client has the exit status and the channel is closed: a disconnect written
      // before would overtake them.
      channel.addCloseFutureListener(closed -> {
        try {
          channel.getSession().disconnect(SshConstants.SSH2_DISCONNECT_BY_APPLICATION,
              "portcullis: the policy ended this session: " + session.endDetail);
        } catch (IOException e) {
          channel.getSession().close(true);
        }
      });
    }
    exit.onExit(status);
  }

  /** Runs the channel; returns its exit status. */
  abstract int run() throws Exception;

  @Override
  public void destroy(ChannelSession channel) {
    // A request held for approval waits in a join that no interrupt ends: cancel the approval.
    session.heldApprovals.forEach((id, waiting) -> {
      if (waiting == thread) {
        session.services.approvals().cancel(id, "the client closed the channel");
      }
    });
    ClientChannel open = target;
    if (open != null) {
      open.close(true);
    }
    if (thread != null) {
      thread.interrupt();
    }
  }

  /** A number from the channel's environment (the pty's COLUMNS and LINES), or {@code otherwise}. */
  int number(String name, int otherwise) {
    try {
      return Integer.parseInt(environment.getEnv().getOrDefault(name, String.valueOf(otherwise)));
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  /** Refuses with the decision's reasons on stderr. */
  int refuse(SshEnforced enforced) {
    SshDecisions.notice(err, "portcullis: denied: " + enforced.reasons() + "\r\n");
    return DENIED;
  }

  /**
   * The variables the client asked for that the policy allows, each decided on its own; a denied
   * one is not passed on, and the client is told.
   */
  Map<String, String> allowedEnv() {
    Map<String, String> allowed = new LinkedHashMap<>();
    for (var e : environment.getEnv().entrySet()) {
      if (NOT_REQUESTED.contains(e.getKey())) {
        continue;
      }
      SshEnforced decided = session.decide(SshRequest.env(e.getKey(), e.getValue(), session.remoteUser()), err);
      if (decided.allowed()) {
        allowed.put(e.getKey(), e.getValue());
      } else {
        SshDecisions.notice(err, "portcullis: environment variable " + e.getKey() + " not passed: "
            + decided.reasons() + "\r\n");
      }
    }
    return allowed;
  }

  /** The session's connection to the target, or null after telling the client why there is none. */
  ClientSession targetSession(SshEnforced enforced) {
    try {
      return session.upstream(upstream);
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      log.warn("session {}: target {} unavailable: {}", session.info.id(), session.target.name(), why);
      SshDecisions.notice(err, "portcullis: cannot reach target " + session.target.name() + " ("
          + session.target.host() + ":" + session.target.port() + "): " + why + "\r\n");
      session.completed(enforced.requestNo(), 0, 0, "target unavailable: " + why, 0, null);
      return null;
    }
  }

  /** Opens {@code channel} on the target, within the connect timeout. */
  <C extends ClientChannel> C open(C opened) throws IOException {
    target = opened;
    opened.open().verify(SshUpstream.CONNECT_TIMEOUT);
    return opened;
  }

  /**
   * Passes on the signal that ended the target's command, as the target reported it (RFC 4254
   * exit-signal); the exit status that follows says 128 + n for clients that read only that.
   */
  private void sendExitSignal(String signal) {
    try {
      var buffer = channel.getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 64);
      buffer.putUInt(channel.getRecipient());
      buffer.putString("exit-signal");
      buffer.putBoolean(false);
      buffer.putString(signal);
      buffer.putBoolean(false);
      buffer.putString("");
      buffer.putString("");
      channel.writePacket(buffer);
    } catch (IOException e) {
      log.debug("session {}: exit-signal not delivered: {}", session.info.id(), e.toString());
    }
  }

  /** The target channel's exit status once it has closed; a signal as the shells report it, 128 + n. */
  int exitStatus(ClientChannel channel) {
    channel.waitFor(Set.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS,
        ClientChannelEvent.EXIT_SIGNAL), TimeUnit.SECONDS.toMillis(10));
    Integer status = channel.getExitStatus();
    if (status != null) {
      return status;
    }
    String signal = channel.getExitSignal();
    exitSignal = signal;
    return signal == null ? GATEWAY_ERROR : 128 + signalNumber(signal);
  }

  private static int signalNumber(String name) {
    return switch (name) {
      case "HUP" -> 1;
      case "INT" -> 2;
      case "QUIT" -> 3;
      case "ILL" -> 4;
      case "ABRT" -> 6;
      case "FPE" -> 8;
      case "KILL" -> 9;
      case "USR1" -> 10;
      case "SEGV" -> 11;
      case "USR2" -> 12;
      case "PIPE" -> 13;
      case "ALRM" -> 14;
      default -> 15;
    };
  }

  /** Copies the client's input to the target until either ends; sends EOF to the target after. */
  static Thread pumpInput(InputStream from, OutputStream to) {
    return Thread.ofVirtual().start(() -> {
      byte[] buffer = new byte[SshOutputPump.BUFFER];
      try (to) {
        int n;
        while ((n = from.read(buffer)) >= 0) {
          to.write(buffer, 0, n);
          to.flush();
        }
      } catch (IOException e) {
        // The client or the target has gone; the channel is closing.
      }
    });
  }
}
