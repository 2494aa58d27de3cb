package io.portcullis.ssh;

import io.portcullis.document.SshRequest;
import io.portcullis.shell.KeystrokeLine;
import io.portcullis.shell.ShellParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.Signal;

/**
 * An interactive shell, only when the policy allows {@code shell}. Keys go to the target as they
 * are typed (its terminal echoes them), but only keys whose effect on the line the gateway knows
 * ({@link KeystrokeLine}); at Enter the line is decided as a {@code shell_line}, and only an
 * allowed line gets its Enter: a denied one is erased on the target with Ctrl-U and the client
 * sees the reasons. Output is masked and the whole terminal stream recorded.
 *
 * <p>The limits are those of any keystroke filter: a line is what the shell reads at Enter, not
 * what it runs. An allowed program (an editor, a pager, an interpreter) can run commands no line
 * shows, scripts run what they contain, and answers to prompts count as lines too.
 */
final class SshShellCommand extends SshChannelCommand {

  static final int MAX_LINE = 4096;

  SshShellCommand(SshUpstream upstream) {
    super(upstream);
  }

  @Override
  int run() throws Exception {
    Map<String, String> env = allowedEnv();
    String term = environment.getEnv().get(Environment.ENV_TERM);
    int cols = number(Environment.ENV_COLUMNS, 80);
    int rows = number(Environment.ENV_LINES, 24);
    SshRequest.Pty pty = term == null ? null : new SshRequest.Pty(term, cols, rows);
    SshEnforced enforced = session.decide(SshRequest.shell(pty, session.remoteUser()), err);
    if (!enforced.allowed()) {
      return refuse(enforced);
    }
    ClientSession up = targetSession(enforced);
    if (up == null) {
      return GATEWAY_ERROR;
    }
    long start = System.nanoTime();
    ChannelShell shell = up.createShellChannel();
    env.forEach(shell::setEnv);
    shell.setUsePty(pty != null);
    if (pty != null) {
      shell.setPtyType(term);
      shell.setPtyColumns(cols);
      shell.setPtyLines(rows);
      shell.setPtyModes(environment.getPtyModes());
    }
    open(shell);
    session.terminal("r", cols + "x" + rows);
    environment.addSignalListener((channel, signal) -> {
      int c = number(Environment.ENV_COLUMNS, 80);
      int r = number(Environment.ENV_LINES, 24);
      try {
        shell.sendWindowChange(c, r);
        session.terminal("r", c + "x" + r);
      } catch (IOException e) {
        // The shell is closing.
      }
    }, Signal.WINCH);
    Thread input = Thread.ofVirtual().start(() -> keys(shell.getInvertedIn()));
    SshOutputPump stdout = new SshOutputPump(session, enforced, true);
    SshOutputPump stderr = new SshOutputPump(session, enforced, true);
    Thread errors = Thread.ofVirtual().start(() -> {
      try {
        stderr.run(shell.getInvertedErr(), err);
      } catch (IOException e) {
        // The client has gone.
      }
    });
    stdout.run(shell.getInvertedOut(), out);
    errors.join();
    int status = exitStatus(shell);
    input.interrupt();
    session.completed(enforced.requestNo(), stdout.bytes + stderr.bytes, stdout.masked() + stderr.masked(),
        status == 0 ? null : "exit status " + status, (System.nanoTime() - start) / 1000,
        stdout.capture());
    return status;
  }

  /** Follows the keys typed, deciding each line at Enter. */
  private void keys(OutputStream toTarget) {
    KeystrokeLine line = new KeystrokeLine(MAX_LINE);
    byte[] buffer = new byte[4096];
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    try (toTarget) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        for (int i = 0; i < n; i++) {
          int b = buffer[i] & 0xFF;
          switch (line.feed(b)) {
            case FORWARD -> pending.write(b);
            case DROP -> { }
            case ENTER -> {
              send(pending, toTarget);
              toTarget.write(enter(line.takeLine(), b));
              toTarget.flush();
            }
          }
        }
        send(pending, toTarget);
      }
    } catch (IOException e) {
      // The client or the target has gone.
    }
  }

  /** What to send for Enter after {@code typed}: Enter when allowed, else Ctrl-U to erase it. */
  private byte[] enter(String typed, int key) {
    if (typed.isBlank()) {
      return new byte[] {(byte) key};
    }
    SshEnforced decided;
    try {
      decided = session.decide(SshRequest.shellLine(ShellParser.parse(typed), session.remoteUser()), out);
    } catch (IllegalArgumentException e) {
      decided = SshDecisions.denyLocally(session, new SshRequest("shell_line", typed, java.util.List.of(), false,
          java.util.List.of(), session.remoteUser(), null, null, null, null, null), e.getMessage());
    }
    if (decided.allowed()) {
      return new byte[] {(byte) key};
    }
    SshDecisions.notice(out, "\r\nportcullis: denied: " + decided.reasons() + "\r\n");
    return new byte[] {KeystrokeLine.KILL_LINE};
  }

  private static void send(ByteArrayOutputStream pending, OutputStream to) throws IOException {
    if (pending.size() > 0) {
      pending.writeTo(to);
      to.flush();
      pending.reset();
    }
  }
}
