package io.portcullis.ssh;

import java.util.Map;

/** The subsystem relays of the gateway: sftp inspected operation by operation ({@link SftpRelay}). */
public final class SftpRelays {

  private SftpRelays() {}

  /** Relays in which every sftp channel is inspected; any other subsystem passes unparsed. */
  public static SshSubsystemRelays inspected() {
    return new SshSubsystemRelays(Map.of("sftp", SftpRelay::new));
  }
}
