package io.portcullis.ssh;

import io.portcullis.config.TargetSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.net.SocketAddress;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.AttributeRepository;
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

  /** The known_hosts file of the target a session connects to, set before it connects. */
  private static final AttributeRepository.AttributeKey<Path> KNOWN_HOSTS = new AttributeRepository.AttributeKey<>();

  private final SshClient client;
  private final Map<Path, KnownHostsServerKeyVerifier> verifiers = new ConcurrentHashMap<>();

  SshUpstream() {
    client = SshClient.setUpDefaultClient();
    client.setCipherFactories(SshCiphers.preferred());
    // Each target has its own known_hosts file, which the session carries from before it
    // connects: the key exchange may be over before connect() returns.
    client.setServerKeyVerifier(this::verify);
    CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(30));
    client.start();
  }

  /** An authenticated session to {@code target}; blocks up to about {@link #CONNECT_TIMEOUT} twice. */
  ClientSession connect(TargetSettings target, Map<String, String> env) throws IOException {
    AttributeRepository context = AttributeRepository.ofKeyValuePair(KNOWN_HOSTS,
        Path.of(target.knownHostsFile()).toAbsolutePath());
    ClientSession session = client.connect(target.user(), target.host(), target.port(), context)
        .verify(CONNECT_TIMEOUT).getSession();
    try {
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

  /** Accepts only the key the session's known_hosts file pins for the address; refuses any other. */
  private boolean verify(ClientSession session, SocketAddress address, PublicKey key) {
    AttributeRepository context = session.getConnectionContext();
    Path file = context == null ? null : context.getAttribute(KNOWN_HOSTS);
    if (file == null) {
      return false;
    }
    KnownHostsServerKeyVerifier pinned = verifiers.computeIfAbsent(file, f -> {
      KnownHostsServerKeyVerifier v = new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, f);
      v.setModifiedServerKeyAcceptor((s, a, entry, expected, actual) -> false);
      return v;
    });
    return pinned.verifyServerKey(session, address, key);
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
