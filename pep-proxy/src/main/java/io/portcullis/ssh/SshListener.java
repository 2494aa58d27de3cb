package io.portcullis.ssh;

import io.portcullis.config.HostPort;
import io.portcullis.config.SshSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.subsystem.SubsystemFactory;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.channel.ChannelSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH listener: a MINA SSHD server with a persistent host key, strict key exchange required,
 * AEAD ciphers only, token authentication, and limits on connections not yet authenticated, the
 * time to authenticate and idle time. Each channel request becomes an exec, shell or subsystem
 * command that is decided before it reaches the target.
 */
public final class SshListener implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SshListener.class);
  private static final AttributeKey<Boolean> COUNTED = new AttributeKey<>();

  private final SshServer server;
  private final SshUpstream upstream;

  private SshListener(SshServer server, SshUpstream upstream) {
    this.server = server;
    this.upstream = upstream;
  }

  /** Starts listening on {@code address}. */
  public static SshListener start(HostPort address, SshSettings settings, String dataDir, SshServices services)
      throws IOException {
    SshUpstream upstream = new SshUpstream();
    SshServer server = SshServer.setUpDefaultServer();
    try {
      server.setHost(address.host());
      server.setPort(address.port());
      server.setKeyPairProvider(hostKey(settings.hostKey(dataDir)));
      server.setCipherFactories(SshCiphers.preferred());
      server.setSessionFactory(new SshStrictKex(server));
      CoreModuleProperties.AUTH_TIMEOUT.set(server, Duration.ofSeconds(settings.authTimeoutS()));
      CoreModuleProperties.IDLE_TIMEOUT.set(server, Duration.ofSeconds(settings.idleTimeoutS()));
      CoreModuleProperties.MAX_AUTH_REQUESTS.set(server, 6);
      CoreModuleProperties.MAX_CONCURRENT_CHANNELS.set(server, 16);
      CoreModuleProperties.SERVER_IDENTIFICATION.set(server, "Portcullis");
      SshAuthenticator authenticator = new SshAuthenticator(services);
      server.setUserAuthFactories(List.of(UserAuthPasswordFactory.INSTANCE,
          UserAuthKeyboardInteractiveFactory.INSTANCE));
      server.setPasswordAuthenticator(authenticator);
      server.setKeyboardInteractiveAuthenticator(authenticator);
      server.setForwardingFilter(new SshForwarding());
      server.setAgentFactory(SshForwarding.NO_AGENT);
      server.setCommandFactory((channel, command) -> new SshExecCommand(upstream, command));
      server.setShellFactory(channel -> new SshShellCommand(upstream));
      server.setSubsystemFactories(List.of(subsystem("sftp", upstream)));
      server.addSessionListener(new Limits(settings.maxUnauthenticated()));
      server.start();
    } catch (IOException | RuntimeException e) {
      server.stop(true);
      upstream.close();
      throw e;
    }
    log.info("ssh listener on {}:{}", address.host(), server.getPort());
    return new SshListener(server, upstream);
  }

  private static SubsystemFactory subsystem(String name, SshUpstream upstream) {
    return new SubsystemFactory() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public Command createSubsystem(ChannelSession channel) {
        return new SshSubsystemCommand(upstream, name);
      }
    };
  }

  /** The host key, generated once (EC P-256) in {@code file} with mode 0600, then reused. */
  static SimpleGeneratorHostKeyProvider hostKey(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(file);
    provider.setAlgorithm("EC");
    provider.setKeySize(256);
    provider.loadKeys(null);
    if (Files.exists(file)) {
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system.
      }
    }
    return provider;
  }

  /** The bound port. */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
    upstream.close();
  }

  /**
   * Counts connections not yet authenticated and refuses those over the limit; ends the SSH
   * session of a connection that closes.
   */
  private static final class Limits implements SessionListener {
    private final int max;
    private final AtomicInteger unauthenticated = new AtomicInteger();

    Limits(int max) {
      this.max = max;
    }

    @Override
    public void sessionCreated(Session session) {
      session.setAttribute(COUNTED, Boolean.TRUE);
      if (unauthenticated.incrementAndGet() > max) {
        log.warn("ssh connection from {} refused: {} connections are not authenticated yet (limit {})",
            session.getRemoteAddress(), unauthenticated.get() - 1, max);
        try {
          session.disconnect(SshConstants.SSH2_DISCONNECT_TOO_MANY_CONNECTIONS,
              "too many connections not yet authenticated");
        } catch (IOException e) {
          session.close(true);
        }
      }
    }

    @Override
    public void sessionEvent(Session session, Event event) {
      if (event == Event.Authenticated) {
        uncount(session);
      }
    }

    @Override
    public void sessionClosed(Session session) {
      uncount(session);
      SshSession ssh = SshSession.of(session);
      if (ssh != null) {
        ssh.ended();
      }
    }

    private void uncount(Session session) {
      if (session.removeAttribute(COUNTED) != null) {
        unauthenticated.decrementAndGet();
      }
    }
  }
}
