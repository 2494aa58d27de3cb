package io.portcullis.ssh;

import io.portcullis.document.SshRequest;
import io.portcullis.shell.ShellCommand;
import io.portcullis.shell.ShellParser;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.server.Environment;

/**
 * An exec request: the command line is parsed by the strict shell grammar and decided; an allowed
 * command runs on the target (a plain one as its argv, each word quoted), its output streamed back
 * masked and its exit status passed on; a denied one gets the reasons on stderr and exit status
 * {@value #DENIED}, and nothing reaches the target.
 */
final class SshExecCommand extends SshChannelCommand {

  private final String command;

  SshExecCommand(SshUpstream upstream, String command) {
    super(upstream);
    this.command = command;
  }

  @Override
  int run() throws Exception {
    Map<String, String> env = allowedEnv();
    SshEnforced enforced;
    ShellCommand parsed = null;
    try {
      parsed = ShellParser.parse(command);
      enforced = session.decide(SshRequest.exec(parsed, session.remoteUser()), err);
    } catch (IllegalArgumentException e) {
      SshRequest tooLong = new SshRequest("exec", command.substring(0, 1024), List.of(), false, List.of(),
          session.remoteUser(), null, null, null, null, null);
      enforced = SshDecisions.denyLocally(session, tooLong, "command line " + e.getMessage());
    }
    if (!enforced.allowed()) {
      return refuse(enforced);
    }
    ClientSession up = targetSession(enforced);
    if (up == null) {
      return GATEWAY_ERROR;
    }
    long start = System.nanoTime();
    ChannelExec exec = up.createExecChannel(parsed.forwarded());
    env.forEach(exec::setEnv);
    String term = environment.getEnv().get(Environment.ENV_TERM);
    boolean pty = term != null && !environment.getPtyModes().isEmpty();
    exec.setUsePty(pty);
    if (pty) {
      exec.setPtyType(term);
      exec.setPtyColumns(number(Environment.ENV_COLUMNS, 80));
      exec.setPtyLines(number(Environment.ENV_LINES, 24));
      exec.setPtyModes(environment.getPtyModes());
    }
    open(exec);
    Thread input = pumpInput(in, exec.getInvertedIn());
    // Output is a terminal stream (recorded whole, for replay) only with a pty; without one it is
    // data, recorded as the decision says (its size and, under record: "full", its text, bounded).
    SshOutputPump stdout = new SshOutputPump(session, enforced, pty);
    SshOutputPump stderr = new SshOutputPump(session, enforced, false);
    Thread errors = Thread.ofVirtual().start(() -> {
      try {
        stderr.run(exec.getInvertedErr(), err);
      } catch (java.io.IOException e) {
        // The client has gone.
      }
    });
    stdout.run(exec.getInvertedOut(), out);
    errors.join();
    int status = exitStatus(exec);
    input.interrupt();
    String capture = stdout.capture() == null ? null
        : stdout.capture() + (stderr.capture() == null || stderr.capture().isEmpty() ? "" : stderr.capture());
    String error = status == 0 ? null : "exit status " + status;
    session.completed(enforced.requestNo(), stdout.bytes + stderr.bytes, stdout.masked() + stderr.masked(), error,
        (System.nanoTime() - start) / 1000, capture);
    return status;
  }
}
