package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.OpenSshServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import io.portcullis.it.fixture.SshGatewayFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SSH gateway fails closed: with OPA gone, an already open and a new session alike get a
 * denial that says why, and nothing reaches the target.
 */
class SshFailClosedIT {

  private static OpaServer opa;
  private static OpenSshServer sshd;
  private static SshGatewayFixture gw;

  @BeforeAll
  static void start() throws Exception {
    opa = new OpaServer(Repo.root().resolve("policies")).start();
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
  void withOpaDownEveryCommandIsDeniedAndNothingRuns() throws Exception {
    String token = gw.token("reader-9", "readers", "operators");
    Path work = sshd.workDir();
    Processes.Result before = gw.ssh(token, "web-1", "touch " + work.resolve("before"), null);
    assertThat(before.exitCode()).as(before.output()).isZero();
    assertThat(work.resolve("before")).exists();

    opa.kill();
    Processes.Result after = gw.ssh(token, "web-1", "touch " + work.resolve("after"), null);
    assertThat(after.exitCode()).as(after.output()).isEqualTo(126);
    assertThat(after.stderr()).contains("portcullis: denied: policy decision unavailable");
    assertThat(work.resolve("after")).doesNotExist();
    assertThat(Files.readString(gw.dataDir().resolve("../decisions.log").normalize()))
        .contains("\"source\":\"failure\"");
  }
}
