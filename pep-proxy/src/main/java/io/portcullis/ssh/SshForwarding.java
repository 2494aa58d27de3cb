package io.portcullis.ssh;

import io.portcullis.document.SshRequest;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides every forwarding request (local and remote port forwarding, agent and X11) and records
 * it, then refuses it: the gateway relays no forwarding, so even a policy that allows one gets a
 * refusal (logged as such), and the default policy denies them all.
 */
final class SshForwarding implements ForwardingFilter {

  /**
   * An agent factory that is never used: MINA asks the forwarding filter about an agent request
   * only when a factory is set, and the filter refuses every one.
   */
  static final org.apache.sshd.agent.SshAgentFactory NO_AGENT = new org.apache.sshd.agent.SshAgentFactory() {
    @Override
    public java.util.List<org.apache.sshd.common.channel.ChannelFactory> getChannelForwardingFactories(
        org.apache.sshd.common.FactoryManager manager) {
      return java.util.List.of();
    }

    @Override
    public org.apache.sshd.agent.SshAgent createClient(Session session,
        org.apache.sshd.common.FactoryManager manager) throws java.io.IOException {
      throw new java.io.IOException("the gateway forwards no agent");
    }

    @Override
    public org.apache.sshd.agent.SshAgentServer createServer(
        org.apache.sshd.common.session.ConnectionService service) throws java.io.IOException {
      throw new java.io.IOException("the gateway forwards no agent");
    }
  };

  private static final Logger log = LoggerFactory.getLogger(SshForwarding.class);

  @Override
  public boolean canForwardAgent(Session session, String requestType) {
    return refuse(session, ssh -> SshRequest.agentForward(ssh.remoteUser()));
  }

  @Override
  public boolean canForwardX11(Session session, String requestType) {
    return refuse(session, ssh -> SshRequest.x11Forward(ssh.remoteUser()));
  }

  @Override
  public boolean canListen(SshdSocketAddress address, Session session) {
    return refuse(session, ssh -> SshRequest.portForward(new SshRequest.Forward("remote", address.getHostName(),
        address.getPort()), ssh.remoteUser()));
  }

  @Override
  public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
    return refuse(session, ssh -> SshRequest.portForward(new SshRequest.Forward("local", address.getHostName(),
        address.getPort()), ssh.remoteUser()));
  }

  private static boolean refuse(Session session, java.util.function.Function<SshSession, SshRequest> request) {
    SshSession ssh = SshSession.of(session);
    if (ssh == null) {
      return false;
    }
    SshRequest r = request.apply(ssh);
    SshEnforced decided = ssh.decide(r, null);
    if (decided.allowed()) {
      log.warn("session {}: {} allowed by the policy, refused all the same: the gateway relays no forwarding",
          ssh.info.id(), SshDecisions.describe(r));
    }
    return false;
  }
}
