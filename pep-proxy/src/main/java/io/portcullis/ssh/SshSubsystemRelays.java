package io.portcullis.ssh;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.function.BiFunction;

/**
 * Makes the relay for each allowed subsystem channel, by subsystem name. A subsystem without a
 * factory here relays its bytes unparsed, which only a policy that allows the subsystem itself
 * permits (the default policy refuses sftp until its file operations are decided one by one).
 *
 * @param factories the relay factory per subsystem name, given the session and the channel's
 *     request number
 */
public record SshSubsystemRelays(Map<String, BiFunction<SshSession, Long, SshSubsystemRelay>> factories) {

  public SshSubsystemRelays {
    factories = Map.copyOf(requireNonNull(factories, "factories"));
  }

  /** Relays that pass every subsystem's bytes on unparsed. */
  public static SshSubsystemRelays passThrough() {
    return new SshSubsystemRelays(Map.of());
  }

  /** The relay for a new channel of {@code subsystem}. */
  public SshSubsystemRelay create(String subsystem, SshSession session, long requestNo) {
    var factory = factories.get(subsystem);
    return factory == null ? SshSubsystemRelay.PASS_THROUGH : factory.apply(session, requestNo);
  }
}
