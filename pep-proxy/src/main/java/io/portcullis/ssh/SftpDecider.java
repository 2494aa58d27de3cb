package io.portcullis.ssh;

import io.portcullis.document.SftpOperation;

/**
 * What an {@link SftpRelay} asks about the operations it sees: the policy for each path operation,
 * and the record of each refusal the gateway makes itself. Blocking; called on the channel's
 * client-side thread.
 */
interface SftpDecider {

  /** Decides {@code operation} (and records it); null when allowed, else the reasons. */
  String decide(SftpOperation operation);

  /** Records a refusal the relay made without asking the policy. */
  void refusedLocally(SftpOperation operation, String reason);

  /** The session's id, for log lines. */
  String sessionId();

  /** Whether a decision ended the session (the channel then closes after its refusal). */
  default boolean sessionEnded() {
    return false;
  }

  /** The decisions of a real session: the policy, approvals, audit and monitoring. */
  static SftpDecider of(SshSession session) {
    return new SftpDecider() {
      @Override
      public String decide(SftpOperation operation) {
        SshEnforced enforced = session.decide(io.portcullis.document.SshRequest.sftp(operation,
            session.remoteUser()), null);
        return enforced.allowed() ? null : enforced.reasons();
      }

      @Override
      public void refusedLocally(SftpOperation operation, String reason) {
        SshDecisions.denyLocally(session, io.portcullis.document.SshRequest.sftp(operation,
            session.remoteUser()), reason);
      }

      @Override
      public String sessionId() {
        return session.info().id();
      }

      @Override
      public boolean sessionEnded() {
        return "terminated_by_policy".equals(session.endReason);
      }
    };
  }
}
