package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.it.fixture.FreePorts;
import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.OpenSshServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import io.portcullis.it.fixture.SshGatewayFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SSH gateway end to end: the real OpenSSH client logs in to the gateway with its token, and
 * the gateway runs what the policy allows on the real OpenSSH server, as its own account there.
 * Nothing destructive ever runs: denied commands are refused before they reach the target, and
 * allowed ones work in a temporary directory.
 */
class SshIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static OpaServer opa;
  private static OpenSshServer sshd;
  private static SshGatewayFixture gw;
  private static Path work;

  @BeforeAll
  static void start() throws Exception {
    opa = new OpaServer(Repo.root().resolve("policies")).start();
    sshd = OpenSshServer.start();
    String down = "  - {name: down, protocol: ssh, host: 127.0.0.1, port: %d, user: nobody, key_file: %s,"
        + " known_hosts_file: %s}";
    // A known_hosts file that pins another key for the real server, and a key it does not know.
    Path other = Files.createTempDirectory("portcullis-ssh-other-");
    Processes.check(List.of("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", other.resolve("key").toString()),
        Duration.ofSeconds(20));
    Path wrongHosts = Files.writeString(other.resolve("known_hosts"), "[127.0.0.1]:" + sshd.port() + " "
        + Files.readString(other.resolve("key.pub")));
    String targets = String.join("\n",
        down.formatted(FreePorts.next(), sshd.gatewayKey(), sshd.knownHosts()),
        "  - {name: impostor, protocol: ssh, host: 127.0.0.1, port: %d, user: %s, key_file: %s, known_hosts_file: %s}"
            .formatted(sshd.port(), sshd.user(), sshd.gatewayKey(), wrongHosts),
        "  - {name: stranger, protocol: ssh, host: 127.0.0.1, port: %d, user: %s, key_file: %s, known_hosts_file: %s}"
            .formatted(sshd.port(), sshd.user(), other.resolve("key"), sshd.knownHosts()));
    gw = SshGatewayFixture.start(opa.url(), sshd, targets, "");
    work = sshd.workDir();
    Files.writeString(work.resolve("hello.txt"), "hello from the target\n");
    Files.writeString(work.resolve("secrets.txt"),
        "card 4111111111111111 on file\naws key AKIAIOSFODNN7EXAMPLE here\nnothing else\n");
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

  private static final java.util.concurrent.atomic.AtomicInteger READERS = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * A reader's token, a new subject each time: the default policy ends the sessions of an
   * identity with 10 denials in a minute, and these tests are denied often on purpose.
   */
  private static String reader() {
    return gw.token("reader-" + READERS.incrementAndGet(), "readers");
  }

  @Test
  void repeatedDenialsEndTheSessionAsThePolicySays() {
    String token = gw.token("denied-a-lot", "readers");
    Processes.Result last = null;
    for (int i = 0; i < 11; i++) {
      last = gw.ssh(token, "web-1", "touch /tmp/never-" + i, null);
    }
    // The policy's reason, on stderr; the disconnect that follows may or may not be printed.
    assertThat(last.exitCode()).isEqualTo(126);
    assertThat(last.stderr()).contains("the session is ended: 10 requests denied in the last minute");
  }

  @Test
  void anAllowedCommandRunsOnTheTargetWithItsOutputAndExitStatus() {
    Processes.Result cat = gw.ssh(reader(), "web-1", "cat " + work.resolve("hello.txt"), null);
    assertThat(cat.exitCode()).as(cat.output()).isZero();
    assertThat(cat.stdout()).isEqualTo("hello from the target\n");

    Processes.Result id = gw.ssh(reader(), "web-1", "id -un", null);
    assertThat(id.stdout().strip()).as(id.output()).isEqualTo(sshd.user());

    Processes.Result missing = gw.ssh(reader(), "web-1", "ls " + work.resolve("missing"), null);
    assertThat(missing.exitCode()).as(missing.output()).isEqualTo(2);
    assertThat(missing.stderr()).contains("No such file or directory");
  }

  @Test
  void anExecWithAPtyRunsWithOne() {
    Processes.Result r = gw.ssh(reader(), "web-1", "tty", null, "-tt");
    assertThat(r.exitCode()).as(r.output()).isEqualTo(126);
    assertThat(r.output()).contains("tty is not on the allow-list");
    Processes.Result echo = gw.ssh(reader(), "web-1", "echo with-a-pty", null, "-tt");
    assertThat(echo.exitCode()).as(echo.output()).isZero();
    assertThat(echo.stdout().replace("\r", "")).isEqualTo("with-a-pty\n");
  }

  @Test
  void theSftpSubsystemIsAllowedAndEachOperationDecided() throws Exception {
    Processes.Result r = gw.sftp(reader(), "web-1", "ls " + work + "\n");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).contains("hello.txt");
    assertThat(gw.decisionLog()).contains("\"request\":\"subsystem sftp\"").contains("\"request\":\"sftp opendir\"");
  }

  @Test
  void metricsCountSshSessionsAndVerdicts() throws Exception {
    gw.ssh(reader(), "web-1", "uptime", null);
    gw.ssh(reader(), "web-1", "touch /tmp/never-metrics", null);
    String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(gw.adminUrl() + "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(count(metrics, "portcullis_requests_total", "verdict=\"allow\"")).isPositive();
    assertThat(count(metrics, "portcullis_requests_total", "verdict=\"deny\"")).isPositive();
    assertThat(count(metrics, "portcullis_sessions_started_total", "target=\"web-1\"")).isGreaterThanOrEqualTo(2);
  }

  /** The sum of a counter's ssh series whose labels contain {@code label}. */
  private static double count(String metrics, String name, String label) {
    return metrics.lines().filter(l -> l.startsWith(name + "{") && l.contains("protocol=\"ssh\"") && l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void keyboardInteractiveLogsInToo() {
    Processes.Result r = gw.sshKeyboardInteractive(reader(), "web-1", "echo via-keyboard-interactive");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).isEqualTo("via-keyboard-interactive\n");
  }

  @Test
  void aDeniedCommandNeverReachesTheTarget() throws Exception {
    Path marker = work.resolve("marker-denied");
    Processes.Result touch = gw.ssh(reader(), "web-1", "touch " + marker, null);
    assertThat(touch.exitCode()).as(touch.output()).isEqualTo(126);
    assertThat(touch.stderr()).contains("portcullis: denied: touch is not on the allow-list of your groups for web-1");
    assertThat(marker).doesNotExist();

    Processes.Result rm = gw.ssh(gw.token("ops-1", "operators", "dba"), "web-1", "rm -rf /var/lib/postgresql", null);
    assertThat(rm.exitCode()).as(rm.output()).isEqualTo(126);
    assertThat(rm.stderr()).contains("rm -r is never allowed through the gateway");
    assertThat(sshd.log()).doesNotContain("rm -rf");
    assertThat(gw.decisionLog()).contains("\"message\":\"exec\"").contains("\"allow\":false");
  }

  @Test
  void aCompoundCommandIsRefused() throws Exception {
    Path marker = work.resolve("marker-compound");
    Processes.Result r = gw.ssh(reader(), "web-1", "cat " + work.resolve("hello.txt") + "; touch " + marker, null);
    assertThat(r.exitCode()).as(r.output()).isEqualTo(126);
    assertThat(r.stderr()).contains("compound command refused (semicolon)");
    assertThat(r.stdout()).isEmpty();
    assertThat(marker).doesNotExist();

    Processes.Result sub = gw.ssh(reader(), "web-1", "echo $(touch " + marker + ")", null);
    assertThat(sub.exitCode()).isEqualTo(126);
    assertThat(sub.stderr()).contains("command_substitution");
    assertThat(marker).doesNotExist();
  }

  @Test
  void outputIsMaskedByDataPattern() {
    Processes.Result r = gw.ssh(reader(), "web-1", "cat " + work.resolve("secrets.txt"), null);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).isEqualTo("card ************1111 on file\naws key [REDACTED] here\nnothing else\n");

    Processes.Result pii = gw.ssh(gw.token("pii-1", "readers", "pii_readers"), "web-1",
        "cat " + work.resolve("secrets.txt"), null);
    assertThat(pii.stdout()).contains("4111111111111111").contains("AKIAIOSFODNN7EXAMPLE");
  }

  @Test
  void anInvalidTokenIsRefused() {
    Processes.Result r = gw.ssh("not-a-token", "web-1", "echo hi", null);
    assertThat(r.exitCode()).isEqualTo(255);
    assertThat(r.stderr()).contains("Permission denied");
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void anUnknownTargetIsRefused() {
    Processes.Result r = gw.ssh(reader(), "no-such-target", "echo hi", null);
    assertThat(r.exitCode()).isEqualTo(255);
    assertThat(r.stderr()).contains("Permission denied");
  }

  @Test
  void anUnreachableTargetIsReportedClearly() {
    Processes.Result r = gw.ssh(reader(), "down", "uptime", null);
    assertThat(r.exitCode()).as(r.output()).isEqualTo(255);
    assertThat(r.stderr()).contains("portcullis: cannot reach target down (127.0.0.1:");
  }

  @Test
  void aTargetWhoseHostKeyDoesNotMatchTheKnownHostsFileIsRefused() {
    Processes.Result r = gw.ssh(reader(), "impostor", "uptime", null);
    assertThat(r.exitCode()).as(r.output()).isEqualTo(255);
    assertThat(r.stderr()).contains("portcullis: cannot reach target impostor (127.0.0.1:" + sshd.port() + ")");
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void aTargetThatRefusesTheGatewaysKeyIsReportedClearly() {
    Processes.Result r = gw.ssh(reader(), "stranger", "uptime", null);
    assertThat(r.exitCode()).as(r.output()).isEqualTo(255);
    assertThat(r.stderr()).contains("portcullis: cannot reach target stranger (127.0.0.1:" + sshd.port() + ")");
  }

  @Test
  void connectionsNotYetAuthenticatedAreLimited() throws Exception {
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        Socket s = new Socket("127.0.0.1", gw.sshPort());
        s.getOutputStream().write("SSH-2.0-idle\r\n".getBytes(StandardCharsets.US_ASCII));
        open.add(s);
      }
      Thread.sleep(300);
      try (Socket ninth = new Socket("127.0.0.1", gw.sshPort())) {
        ninth.setSoTimeout(5000);
        // Disconnected at once, with the reason, before any key exchange (or reset, if the
        // disconnect races the client's identification).
        String got;
        try {
          ninth.getOutputStream().write("SSH-2.0-one-too-many\r\n".getBytes(StandardCharsets.US_ASCII));
          got = new String(ninth.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketException reset) {
          got = "reset: " + reset.getMessage();
        }
        assertThat(got).containsAnyOf("too many connections not yet authenticated", "reset: ");
      }
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
    Thread.sleep(300);
    Processes.Result after = gw.ssh(reader(), "web-1", "echo room-again", null);
    assertThat(after.stdout()).as(after.output()).isEqualTo("room-again\n");
  }

  @Test
  void environmentVariablesOtherThanTheLocaleAreNotPassed() {
    Processes.Result r = gw.ssh(reader(), "web-1", "echo ran", null, "-o", "SetEnv=LC_TIME=C FOO=bar");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).isEqualTo("ran\n");
    assertThat(r.stderr()).contains("portcullis: environment variable FOO not passed");
    assertThat(r.stderr()).doesNotContain("LC_TIME not passed");
  }

  @Test
  void portForwardingIsRefused() throws Exception {
    Processes.Result remote = gw.ssh(reader(), "web-1", null, null, "-N", "-o", "ExitOnForwardFailure=yes",
        "-R", "127.0.0.1:0:127.0.0.1:" + sshd.port());
    assertThat(remote.exitCode()).as(remote.output()).isEqualTo(255);
    assertThat(remote.stderr()).contains("remote port forwarding failed");

    int local = FreePorts.next();
    List<String> command = new ArrayList<>(gw.sshCommand("web-1", "password", "-N", "-L",
        "127.0.0.1:" + local + ":127.0.0.1:" + sshd.port()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(gw.env(reader()));
    Process ssh = builder.start();
    try {
      String banner = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (banner == null && System.nanoTime() < deadline) {
        try (Socket s = new Socket("127.0.0.1", local)) {
          s.setSoTimeout(5000);
          banner = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException notYet) {
          Thread.sleep(100);
        }
      }
      // The forwarded connection is closed at once: the target's banner never comes through it.
      assertThat(banner).isNotNull().doesNotContain("SSH-2.0");
    } finally {
      ssh.destroy();
    }
    String log = gw.decisionLog();
    assertThat(log).contains("port_forward remote").contains("port_forward local 127.0.0.1:" + sshd.port());
  }

  @Test
  void agentForwardingIsRefused() throws Exception {
    Path socket = Files.createTempDirectory("portcullis-agent-").resolve("agent.sock");
    Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true).start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!Files.exists(socket) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      List<String> command = new ArrayList<>(gw.sshCommand("web-1", "password", "-A"));
      command.add("echo forwarded-agent");
      Map<String, String> env = new java.util.HashMap<>(gw.env(reader()));
      env.put("SSH_AUTH_SOCK", socket.toString());
      Processes.Result r = Processes.run(command, env, null, Duration.ofSeconds(30));
      // The command runs; the agent does not reach the target.
      assertThat(r.stdout()).as(r.output()).isEqualTo("forwarded-agent\n");
      assertThat(gw.decisionLog()).contains("\"message\":\"agent_forward\"");
    } finally {
      agent.destroy();
    }
  }

  @Test
  void anApprovedCommandRunsOnceApproved() throws Exception {
    Path marker = work.resolve("approved-marker");
    CompletableFuture<Processes.Result> run = CompletableFuture.supplyAsync(() ->
        gw.ssh(gw.token("agent-7", "readers", "agents"), "web-1", "touch " + marker, null));
    String id = pending(marker.toString());
    assertThat(marker).doesNotExist();
    HttpResponse<String> approved = api("POST", "/api/v1/approvals/" + id + "/approve",
        gw.token("ops-2", "ops"), "{\"comment\": \"ok\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    Processes.Result r = run.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stderr()).contains("portcullis: command held for approval " + id)
        .contains("portcullis approvals approve " + id);
    assertThat(marker).exists();
  }

  @Test
  void aDeniedApprovalRefusesTheCommand() throws Exception {
    Path marker = work.resolve("denied-marker");
    CompletableFuture<Processes.Result> run = CompletableFuture.supplyAsync(() ->
        gw.ssh(gw.token("agent-8", "readers", "agents"), "web-1", "touch " + marker, null));
    String id = pending(marker.toString());
    HttpResponse<String> denied = api("POST", "/api/v1/approvals/" + id + "/deny",
        gw.token("ops-3", "ops"), "{\"reason\": \"not now\"}");
    assertThat(denied.statusCode()).as(denied.body()).isEqualTo(200);
    Processes.Result r = run.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.exitCode()).as(r.output()).isEqualTo(126);
    assertThat(r.stderr()).contains("approval " + id + " was denied by ops-3: not now");
    assertThat(marker).doesNotExist();
  }

  @Test
  void aClientThatGoesAwayCancelsItsApproval() throws Exception {
    Path marker = work.resolve("abandoned-marker");
    List<String> command = new ArrayList<>(gw.sshCommand("web-1", "password"));
    command.add("touch " + marker);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(gw.env(gw.token("agent-9", "readers", "agents")));
    Process ssh = builder.start();
    String id;
    try {
      id = pending(marker.toString());
    } finally {
      ssh.destroy();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      state = JSON.readTree(api("GET", "/api/v1/approvals/" + id, gw.token("ops-4", "ops"), null).body())
          .path("state").asText();
      if (state.equals("cancelled")) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(state).isEqualTo("cancelled");
    assertThat(api("POST", "/api/v1/approvals/" + id + "/approve", gw.token("ops-4", "ops"), null).statusCode())
        .isEqualTo(409);
    assertThat(marker).doesNotExist();
  }

  @Test
  void anInteractiveShellIsDecidedLineByLineRecordedAndReplayed() throws Exception {
    Path marker = work.resolve("shell-denied-marker");
    String stdin = "echo shell-says-hi\necho no; touch " + marker + "\ncat " + work.resolve("secrets.txt") + "\nexit\n";
    Processes.Result r = gw.ssh(gw.token("op-1", "operators"), "web-1", null, stdin, "-tt");
    assertThat(r.stdout()).as(r.output()).contains("shell-says-hi").contains("card ************1111");
    assertThat(r.stdout()).doesNotContain("4111111111111111");
    assertThat(marker).doesNotExist();
    assertThat(r.stdout()).contains("portcullis: denied: compound command refused (semicolon)");
    String session = sessionOf("shell");
    Processes.Result replay = cli("sessions", "replay", session, "--speed", "0");
    assertThat(replay.exitCode()).as(replay.output()).isZero();
    assertThat(replay.stdout()).contains("ALLOW  echo shell-says-hi").contains("session end");
    Processes.Result cast = cli("sessions", "export", session, "--asciicast");
    assertThat(cast.exitCode()).as(cast.output()).isZero();
    List<String> lines = cast.stdout().lines().toList();
    assertThat(JSON.readTree(lines.get(0)).path("version").asInt()).isEqualTo(2);
    assertThat(cast.stdout()).contains("shell-says-hi").doesNotContain("4111111111111111");
    assertThat(lines.stream().skip(1).map(SshIT::parse).anyMatch(e -> e.get(1).asText().equals("o"))).isTrue();
  }

  @Test
  void aShellIsRefusedWithoutTheGroup() {
    Processes.Result r = gw.ssh(reader(), "web-1", null, "echo nope\nexit\n", "-tt");
    assertThat(r.stdout() + r.stderr()).contains("an interactive shell needs one of the groups operators");
    assertThat(r.stdout()).doesNotContain("nope\r\nnope");
  }

  @Test
  void malformedInputClosesOnlyThatConnection() throws Exception {
    try (Socket s = new Socket("127.0.0.1", gw.sshPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write("SSH-2.0-fuzz\r\n".getBytes(StandardCharsets.US_ASCII));
      // A packet length of 4 GiB. MINA reads a few more bytes before it disconnects (so that
      // when it fails tells an attacker nothing): junk goes on until the gateway closes.
      out.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf0});
      out.flush();
      s.setSoTimeout(100);
      InputStream in = s.getInputStream();
      byte[] buffer = new byte[8192];
      long deadline = System.nanoTime() + Duration.ofSeconds(9).toNanos();
      int n = 0;
      while (n >= 0 && System.nanoTime() < deadline) {
        try {
          out.write(new byte[64]);
          out.flush();
          n = in.read(buffer);
        } catch (java.net.SocketTimeoutException quiet) {
          n = 0;
        } catch (IOException closed) {
          n = -1;
        }
      }
      assertThat(n).as("connection closed by the gateway").isEqualTo(-1);
    }
    try (Socket s = new Socket("127.0.0.1", gw.sshPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      // An identification line that never ends.
      byte[] junk = new byte[64 * 1024];
      java.util.Arrays.fill(junk, (byte) 'x');
      try {
        for (int i = 0; i < 8; i++) {
          out.write(junk);
        }
      } catch (IOException closed) {
        // The gateway closed it.
      }
      InputStream in = s.getInputStream();
      try {
        while (in.read(new byte[8192]) >= 0) {
          // drain until closed
        }
      } catch (IOException reset) {
        // Closed with a reset: fine.
      }
    }
    Processes.Result after = gw.ssh(reader(), "web-1", "echo still-serving", null);
    assertThat(after.stdout()).as(after.output()).isEqualTo("still-serving\n");
  }

  @Test
  void aClientWithoutStrictKeyExchangeIsRefused() throws Exception {
    org.apache.sshd.client.SshClient client = org.apache.sshd.client.SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier.INSTANCE);
    client.setSessionFactory(new org.apache.sshd.client.session.SessionFactory(client) {
      @Override
      protected org.apache.sshd.client.session.ClientSessionImpl doCreateSession(
          org.apache.sshd.common.io.IoSession io) throws Exception {
        return new org.apache.sshd.client.session.ClientSessionImpl(getClient(), io) {
          @Override
          protected Map<org.apache.sshd.common.kex.KexProposalOption, String> doStrictKexProposal(
              Map<org.apache.sshd.common.kex.KexProposalOption, String> proposal) {
            return proposal; // offer no kex-strict-c-v00@openssh.com
          }
        };
      }
    });
    client.start();
    try (var session = client.connect("web-1", "127.0.0.1", gw.sshPort()).verify(Duration.ofSeconds(10))
        .getSession()) {
      session.addPasswordIdentity(reader());
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> session.auth().verify(Duration.ofSeconds(10)))
          .hasStackTraceContaining("strict key exchange");
    } finally {
      client.stop();
    }
    // The same MINA client with strict key exchange logs in.
    org.apache.sshd.client.SshClient strict = org.apache.sshd.client.SshClient.setUpDefaultClient();
    strict.setServerKeyVerifier(org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier.INSTANCE);
    strict.start();
    try (var session = strict.connect("web-1", "127.0.0.1", gw.sshPort()).verify(Duration.ofSeconds(10))
        .getSession()) {
      session.addPasswordIdentity(reader());
      session.auth().verify(Duration.ofSeconds(10));
      assertThat(session.executeRemoteCommand("echo strict")).isEqualTo("strict\n");
    } finally {
      strict.stop();
    }
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError(line, e);
    }
  }

  /** The id of the last ssh session whose decision log has a {@code message}. */
  private static String sessionOf(String message) throws IOException {
    String id = null;
    for (String line : gw.decisionLog().lines().toList()) {
      JsonNode n = JSON.readTree(line);
      if ("ssh".equals(n.path("protocol").asText()) && message.equals(n.path("message").asText())) {
        id = n.path("session").asText();
      }
    }
    assertThat(id).as("a session with a %s request", message).isNotNull();
    return id;
  }

  /** Waits for the pending approval whose request mentions {@code text}; returns its id. */
  private static String pending(String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = api("GET", "/api/v1/approvals?state=pending", gw.token("ops-9", "ops"), null);
      JsonNode list = JSON.readTree(r.body());
      for (JsonNode a : list.has("approvals") ? list.get("approvals") : list) {
        if (a.toString().contains(text)) {
          return a.path("id").asText();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no pending approval for " + text);
  }

  private static HttpResponse<String> api(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.adminUrl() + path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Processes.Result cli(String... args) throws IOException {
    Path jar;
    try (Stream<Path> files = Files.list(Repo.root().resolve("pep-proxy/target"))) {
      jar = files.filter(p -> p.getFileName().toString().endsWith("-all.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("pep-proxy/target/*-all.jar is not built"));
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--data-dir", gw.dataDir().toString()));
    return Processes.run(command, Map.of(), null, Duration.ofSeconds(60));
  }
}
