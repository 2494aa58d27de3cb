package io.portcullis.ssh;

import io.portcullis.document.SshRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.sshd.client.channel.ChannelSubsystem;
import org.apache.sshd.client.session.ClientSession;

/**
 * A subsystem request (sftp): decided as {@code kind: "subsystem"}; once allowed, its bytes go
 * through the {@link SshSubsystemRelay} that {@link SshServices#subsystems()} makes for it, which
 * is where a subsystem's own operations are inspected.
 */
final class SshSubsystemCommand extends SshChannelCommand {

  private final String name;

  SshSubsystemCommand(SshUpstream upstream, String name) {
    super(upstream);
    this.name = name;
  }

  @Override
  int run() throws Exception {
    SshEnforced enforced = session.decide(SshRequest.subsystem(name, session.remoteUser()), err);
    if (!enforced.allowed()) {
      return refuse(enforced);
    }
    ClientSession up = targetSession(enforced);
    if (up == null) {
      return GATEWAY_ERROR;
    }
    long start = System.nanoTime();
    ChannelSubsystem subsystem = open(up.createSubsystemChannel(name));
    SshSubsystemRelay relay = session.services.subsystems().create(name, session, enforced.requestNo());
    long[] fromClient = new long[1];
    OutputStream toTarget = subsystem.getInvertedIn();
    // Both directions may write to the client (the target's answers, the relay's own refusals):
    // one write call at a time, so a relay that writes each message whole never interleaves.
    OutputStream toClient = new Serialized(out);
    Thread input = Thread.ofVirtual().start(() -> {
      byte[] buffer = new byte[SshOutputPump.BUFFER];
      try (toTarget) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          fromClient[0] += n;
          relay.fromClient(buffer, 0, n, toTarget, toClient);
        }
      } catch (IOException e) {
        // The client or the target has gone.
      }
    });
    long sentToClient = 0;
    try {
      InputStream fromTarget = subsystem.getInvertedOut();
      byte[] buffer = new byte[SshOutputPump.BUFFER];
      int n;
      while ((n = fromTarget.read(buffer)) >= 0) {
        sentToClient += n;
        relay.fromTarget(buffer, 0, n, toClient);
      }
    } finally {
      relay.closed();
    }
    int status = exitStatus(subsystem);
    input.interrupt();
    session.completed(enforced.requestNo(), sentToClient, 0, null, (System.nanoTime() - start) / 1000, null);
    return status;
  }

  /** An output stream whose writes and flushes are serialised. */
  private static final class Serialized extends OutputStream {
    private final OutputStream out;

    Serialized(OutputStream out) {
      this.out = out;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public synchronized void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
