package io.portcullis.ssh;

import io.portcullis.config.TargetSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The gateway's SSH client to its targets: each target's host key is pinned by its
 * {@code known_hosts_file} (an unknown or changed key is refused), and the gateway logs in with
 * the key or password only it holds. Thread-safe.
 */
final class SshUpstream implements AutoCloseable {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final SshClient client;

  SshUpstream() {
    client = SshClient.setUpDefaultClient();
    client.setCipherFactories(SshCiphers.preferred());
    // The verifier is set per session: each target has its own known_hosts file.
    client.setServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE);
    CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(30));
    client.start();
  }

  /** An authenticated session to {@code target}; blocks up to about {@link #CONNECT_TIMEOUT} twice. */
  ClientSession connect(TargetSettings target, Map<String, String> env) throws IOException {
    ClientSession session = client.connect(target.user(), target.host(), target.port())
        .verify(CONNECT_TIMEOUT).getSession();
    try {
      KnownHostsServerKeyVerifier pinned = new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE,
          Path.of(target.knownHostsFile()));
      pinned.setModifiedServerKeyAcceptor((s, address, entry, expected, actual) -> false);
      session.setServerKeyVerifier(pinned);
      if (target.keyFile() != null) {
        for (KeyPair pair : loadKeys(target)) {
          session.addPublicKeyIdentity(pair);
        }
      } else {
        session.addPasswordIdentity(target.password(env));
      }
      session.auth().verify(CONNECT_TIMEOUT);
      return session;
    } catch (IOException | RuntimeException e) {
      session.close(true);
      throw e;
    }
  }

  private static List<KeyPair> loadKeys(TargetSettings target) throws IOException {
    Path file = Path.of(target.keyFile());
    try (InputStream in = Files.newInputStream(file)) {
      Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()),
          in, null);
      List<KeyPair> keys = new java.util.ArrayList<>();
      if (pairs != null) {
        pairs.forEach(keys::add);
      }
      if (keys.isEmpty()) {
        throw new IOException("target " + target.name() + ": no key in key_file " + file);
      }
      return keys;
    } catch (GeneralSecurityException e) {
      throw new IOException("target " + target.name() + ": cannot read key_file " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    client.stop();
  }
}
