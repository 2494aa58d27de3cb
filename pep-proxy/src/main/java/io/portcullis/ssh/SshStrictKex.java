package io.portcullis.ssh;

import java.util.Map;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.server.ServerFactoryManager;
import org.apache.sshd.server.session.ServerSessionImpl;
import org.apache.sshd.server.session.SessionFactory;

/**
 * Makes server sessions that require strict key exchange (OpenSSH's {@code
 * kex-strict-c-v00@openssh.com}, the fix for the Terrapin prefix truncation attack): a client whose
 * first KEXINIT does not offer it is disconnected before any key is agreed.
 */
final class SshStrictKex extends SessionFactory {

  SshStrictKex(ServerFactoryManager server) {
    super(server);
  }

  @Override
  protected ServerSessionImpl doCreateSession(IoSession ioSession) throws Exception {
    return new ServerSessionImpl(getServer(), ioSession) {
      @Override
      protected Map<KexProposalOption, String> negotiate() throws Exception {
        Map<KexProposalOption, String> result = super.negotiate();
        if (!strictKex) {
          throw new SshException(SshConstants.SSH2_DISCONNECT_KEY_EXCHANGE_FAILED,
              "strict key exchange (kex-strict-c-v00@openssh.com) is required; update the SSH client");
        }
        return result;
      }
    };
  }
}
