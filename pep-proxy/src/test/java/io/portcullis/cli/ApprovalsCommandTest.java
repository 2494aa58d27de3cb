package io.portcullis.cli;

import static io.portcullis.approval.Approvals.document;
import static io.portcullis.approval.Approvals.holdVisible;
import static io.portcullis.approval.Approvals.who;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.admin.AdminServer;
import io.portcullis.admin.ApprovalRoutes;
import io.portcullis.approval.ApprovalNotifier;
import io.portcullis.approval.ApprovalOutcome;
import io.portcullis.approval.ApprovalRequest;
import io.portcullis.approval.ApprovalService;
import io.portcullis.approval.ApprovalSettings;
import io.portcullis.approval.ApprovalState;
import io.portcullis.approval.FileApprovalStore;
import io.portcullis.identity.TestIssuer;
import io.portcullis.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(30)
class ApprovalsCommandTest {

  private static TestIssuer idp;

  @TempDir Path dataDir;
  private ApprovalService approvals;
  private AdminServer admin;
  private final List<String> tokensUsed = new ArrayList<>();

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void issuer() throws Exception {
    idp = TestIssuer.start();
  }

  @AfterAll
  static void stopIssuer() {
    idp.close();
  }

  @BeforeEach
  void start() throws Exception {
    approvals = ApprovalService.start(ApprovalSettings.defaults(),
        FileApprovalStore.inDataDir(dataDir), ApprovalNotifier.none(), Clock.systemUTC());
    admin = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        idp.verifier(), ApprovalRoutes.of(approvals));
  }

  @AfterEach
  void stop() {
    admin.close();
    approvals.close();
  }

  private String token(String subject, String... groups) {
    String token = idp.token(subject, groups);
    tokensUsed.add(token);
    return token;
  }

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ApprovalsCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    for (String token : tokensUsed) {
      assertThat(out.toString() + err).as("the token is never printed").doesNotContain(token);
    }
    return new Run(exit, out.toString(), err.toString());
  }

  private CompletableFuture<ApprovalOutcome> hold(ApprovalRequest request) {
    return holdVisible(approvals, request);
  }

  private ApprovalRequest request(String sql) {
    return approvals.request(document(who("alice", "dev"), sql), sql, List.of("needs review"),
        List.of("group:dba"), 600);
  }

  @Test
  void listPrintsOneLinePerPendingApproval() {
    ApprovalRequest request = request("DELETE FROM users\n  WHERE id = $1");
    hold(request);

    Run r = run("list", "--admin-url", admin.url(), "--token", token("bob", "dba"));

    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo(request.id() + "  pending  alice  orders-db  "
        + "DELETE FROM users WHERE id = $1  expires " + request.expiresAt() + System.lineSeparator());
  }

  @Test
  void listAsJsonIsTheApiAnswerAndStateFilters() throws Exception {
    ApprovalRequest request = request("DROP TABLE t");
    hold(request);
    approvals.deny(request.id(), who("bob", "dba"), "no");

    Run pending = run("list", "--admin-url", admin.url(), "--token", token("bob", "dba"));
    assertThat(pending.exit()).isZero();
    assertThat(pending.out()).isEmpty();
    assertThat(pending.err()).contains("no approval requests in state pending");

    Run json = run("list", "--state", "denied", "--json", "--admin-url", admin.url(),
        "--token", token("bob", "dba"));
    assertThat(json.exit()).isZero();
    assertThat(Json.mapper().readTree(json.out()).at("/approvals/0/outcome/reason").asText())
        .isEqualTo("no");
  }

  @Test
  void approveAndDenyDecideAsTheTokensIdentity() throws Exception {
    ApprovalRequest a = request("DROP TABLE a");
    ApprovalRequest d = request("DROP TABLE d");
    CompletableFuture<ApprovalOutcome> approved = hold(a);
    CompletableFuture<ApprovalOutcome> denied = hold(d);

    Run ok = run("approve", a.id(), "--comment", "OPS-7", "--admin-url", admin.url(),
        "--token", token("bob", "dba"));
    Run no = run("deny", d.id(), "--reason", "not today", "--admin-url", admin.url() + "/",
        "--token", token("bob", "dba"));

    assertThat(ok.exit()).isZero();
    assertThat(ok.out()).startsWith("approved " + a.id() + " for alice on orders-db");
    assertThat(approved.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(
        ApprovalOutcome.Approved.class, o -> assertThat(o.comment()).isEqualTo("OPS-7"));
    assertThat(no.exit()).isZero();
    assertThat(no.out()).startsWith("denied " + d.id() + " for alice on orders-db: not today");
    assertThat(denied.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(
        ApprovalOutcome.Denied.class, o -> assertThat(o.by()).isEqualTo("bob"));
  }

  @Test
  void aRefusalExitsOneWithTheServersMessage() {
    ApprovalRequest request = request("DROP TABLE t");
    hold(request);

    Run self = run("approve", request.id(), "--admin-url", admin.url(),
        "--token", token("alice", "dba"));
    Run unknown = run("approve", "apr_aaaaaaaaaaaaaaaaaaaa", "--admin-url", admin.url(),
        "--token", token("bob", "dba"));
    Run badToken = run("list", "--admin-url", admin.url(), "--token", idp.forgedToken("bob"));

    assertThat(self.exit()).isEqualTo(1);
    assertThat(self.err()).isEqualTo("portcullis: approval " + request.id()
        + ": alice requested it and may not decide it" + System.lineSeparator());
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("approval apr_aaaaaaaaaaaaaaaaaaaa not found");
    assertThat(badToken.exit()).isEqualTo(1);
    assertThat(badToken.err()).startsWith("portcullis: invalid token: ");
    assertThat(approvals.get(request.id()).state()).isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void withoutATokenOrAGatewayItExitsTwo() {
    Run noToken = run("list", "--admin-url", admin.url());
    assertThat(noToken.exit()).isEqualTo(2);
    assertThat(noToken.err()).contains("no token: set PORTCULLIS_TOKEN or pass --token");

    int port = admin.port();
    admin.close();
    Run down = run("list", "--admin-url", "http://127.0.0.1:" + port, "--token", token("bob"));
    assertThat(down.exit()).isEqualTo(2);
    assertThat(down.err()).startsWith("portcullis: cannot reach the admin API at http://127.0.0.1:");
  }

  @Test
  void theAdminUrlComesFromTheConfigsAdminListen() throws Exception {
    ApprovalRequest request = request("DROP TABLE t");
    hold(request);
    Path config = dataDir.resolve("portcullis.yaml");
    Files.writeString(config, """
        listen: {postgres: 127.0.0.1:0}
        identity: {issuer: https://idp.test, audiences: [portcullis],
                   jwks_url: http://127.0.0.1:1/jwks.json}
        opa: {url: http://127.0.0.1:8181}
        targets:
          - {name: demo, protocol: postgres, host: 127.0.0.1, port: 5432, database: demo, user: gw}
        admin: {listen: 0.0.0.0:%d}
        """.formatted(admin.port()));

    Run r = run("list", "--config", config.toString(), "--token", token("bob", "dba"));

    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith(request.id() + "  pending");
  }

  @Test
  void theCommandIsPartOfPortcullis() {
    assertThat(new CommandLine(Main.class).getSubcommands()).containsKey("approvals");
    assertThat(new CommandLine(Main.class).getSubcommands().get("approvals").getSubcommands())
        .containsKeys("list", "approve", "deny");
  }
}
