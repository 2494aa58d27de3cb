package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.OpenSshServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import io.portcullis.it.fixture.SshGatewayFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A subsystem the policy allows relays its bytes between the real sftp client and the real
 * OpenSSH sftp server (through the relay hook: for sftp, the per-operation SftpRelay, which
 * SftpIT tests in depth). The policy is the default one, in a copy that turns
 * {@code sftp_operations_decided} on where it is still off.
 */
class SshSubsystemIT {

  private static OpaServer opa;
  private static OpenSshServer sshd;
  private static SshGatewayFixture gw;

  @BeforeAll
  static void start() throws Exception {
    Path policies = Files.createTempDirectory("portcullis-policies-");
    Path source = Repo.root().resolve("policies");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : files.toList()) {
        Path copy = policies.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(copy);
        } else {
          Files.writeString(copy, Files.readString(p)
              .replace("sftp_operations_decided := false", "sftp_operations_decided := true"));
        }
      }
    }
    opa = new OpaServer(policies).start();
    sshd = OpenSshServer.start();
    gw = SshGatewayFixture.start(opa.url(), sshd, "", "");
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (sshd != null) {
      sshd.close();
    }
    if (opa != null) {
      opa.close();
    }
  }

  @Test
  void anAllowedSubsystemRelaysItsBytes() throws Exception {
    Path work = sshd.workDir();
    Files.writeString(work.resolve("listed.txt"), "x\n");
    Path local = Files.createTempDirectory("portcullis-sftp-local-");
    Processes.Result r = gw.sftp(gw.token("reader-5", "readers"), "web-1",
        "ls " + work + "\nget " + work.resolve("listed.txt") + " " + local.resolve("got.txt") + "\n");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).contains("listed.txt");
    assertThat(Files.readString(local.resolve("got.txt"))).isEqualTo("x\n");
    assertThat(gw.decisionLog()).contains("\"request\":\"subsystem sftp\"").contains("\"allow\":true");
  }
}
