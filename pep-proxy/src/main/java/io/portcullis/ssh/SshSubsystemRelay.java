package io.portcullis.ssh;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Relays the bytes of one allowed subsystem channel (sftp) between the client and the target: the
 * hook where a subsystem's own messages are inspected and decided. One instance per channel; each
 * direction is called from its own thread, in order, and may block (for a decision, say, with
 * {@link SshSession#decide}). Both directions write to the same client stream, one write call at
 * a time: write each message in one call. Data arrives in chunks of any size, not whole messages.
 */
public interface SshSubsystemRelay {

  /**
   * Bytes the client sent. Write to {@code toTarget} what may reach the target, and to {@code
   * toClient} any reply the gateway makes itself (a refusal in the subsystem's own protocol).
   */
  void fromClient(byte[] data, int off, int len, OutputStream toTarget, OutputStream toClient)
      throws IOException;

  /** Bytes the target sent; write to {@code toClient} what the client may see. */
  void fromTarget(byte[] data, int off, int len, OutputStream toClient) throws IOException;

  /** The channel ended; called once. */
  default void closed() {}

  /** A relay that passes every byte on unchanged. */
  SshSubsystemRelay PASS_THROUGH = new SshSubsystemRelay() {
    @Override
    public void fromClient(byte[] data, int off, int len, OutputStream toTarget, OutputStream toClient)
        throws IOException {
      toTarget.write(data, off, len);
      toTarget.flush();
    }

    @Override
    public void fromTarget(byte[] data, int off, int len, OutputStream toClient) throws IOException {
      toClient.write(data, off, len);
      toClient.flush();
    }
  };
}
