package io.portcullis.pg;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.portcullis.approval.ApprovalLinks;
import io.portcullis.approval.ApprovalNotifier;
import io.portcullis.approval.ApprovalService;
import io.portcullis.approval.FileApprovalStore;
import io.portcullis.audit.AuditRecorder;
import io.portcullis.config.ConfigLoader;
import io.portcullis.config.GatewayConfig;
import io.portcullis.document.Identity;
import io.portcullis.document.SessionInfo;
import io.portcullis.identity.JwtVerifier;
import io.portcullis.log.DecisionLog;
import io.portcullis.policy.Decision;
import io.portcullis.policy.PolicyClient;
import io.portcullis.policy.PolicyVerdict;
import io.portcullis.protocol.pg.PgMessageFramer;
import io.portcullis.sql.SqlAnalyzer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Coverage-guided fuzzing of an authenticated PostgreSQL session: fuzzed client bytes go through
 * the gateway's framer and {@link PgClientHandler}, with a policy that allows exactly the SQL
 * {@code SELECT 1} and denies everything else, and the bytes the gateway writes to the server are
 * checked one message at a time.
 *
 * <p>Oracle: no byte reaches the server unless it belongs to a message that is
 * <ul>
 *   <li>a Query or Parse whose SQL the policy allowed, or a gateway-made stand-in for a denied
 *       message (a Query {@code EXECUTE portcullis_denied_...}, a Bind of
 *       {@code portcullis_denied_...});
 *   <li>a Bind of a statement that an allowed Parse created on the server and no Close removed, an
 *       Execute of a portal such a Bind created;
 *   <li>Describe, Close, Sync, Flush or Terminate (they run nothing), or CopyData, CopyDone,
 *       CopyFail (data of an allowed COPY; the server ignores them outside one).
 * </ul>
 * Never a FunctionCall, a password message or any other type, and never a partial message. The
 * oracle reads the server side with its own parser and models which statements and portals the
 * server holds, so it does not trust the decoders it checks. Also: no exception escapes the
 * pipeline, and every buffer of the run is released.
 *
 * <p>Not covered here: the startup handler (token check, upstream connection), the server handler
 * (result masking), approvals, and asynchronous decisions (the stub answers at once).
 */
class PgSessionFuzzTest {

  private static final String ALLOWED_SQL = "SELECT 1";
  private static final String POISON = "portcullis_denied_";

  private static final PgServices SERVICES = services();

  /** First byte: how the rest is split into reads (1 to 63 bytes, or one piece). */
  @FuzzTest(maxDuration = "10m")
  void clientMessages(byte[] data) {
    if (data.length < 1) {
      return;
    }
    int chunk = (data[0] & 0x3F) == 0 ? data.length : data[0] & 0x3F;
    EmbeddedChannel server = new EmbeddedChannel();
    EmbeddedChannel client = new EmbeddedChannel();
    PgSession session = new PgSession(SERVICES,
        new SessionInfo("ses_fuzz", "postgres", "demo", Instant.EPOCH,
            new SessionInfo.Source("127.0.0.1", 50000, false)),
        new Identity("fuzzer", "https://idp.test", List.of(), Map.of(), "oidc_jwt"),
        SERVICES.config().target("demo").orElseThrow(), client, server, 4711);
    session.monitor = SERVICES.monitoring().open(session.info, session.identity);
    client.pipeline().addLast("framer", new PgMessageFramer(1 << 16));
    client.pipeline().addLast("session", new PgClientHandler(session));

    List<ByteBuf> inputs = new ArrayList<>();
    ServerModel model = new ServerModel();
    for (int i = 1; i < data.length && client.isOpen(); i += chunk) {
      ByteBuf buf = Unpooled.wrappedBuffer(Arrays.copyOfRange(data, i, Math.min(data.length, i + chunk)));
      inputs.add(buf);
      client.writeInbound(buf);
      client.runPendingTasks();
      model.check(server);
    }
    client.finishAndReleaseAll();
    model.check(server);
    server.finishAndReleaseAll();
    model.finish();
    assertThat(inputs).allSatisfy(b -> assertThat(b.refCnt()).as("input released").isZero());
  }

  /** What the server was sent, framed by hand, and which statements and portals it holds. */
  private static final class ServerModel {
    private final ByteBuf pending = Unpooled.buffer();
    private final java.util.Set<String> statements = new java.util.HashSet<>();
    private final java.util.Set<String> portals = new java.util.HashSet<>();

    void check(EmbeddedChannel server) {
      Object out;
      while ((out = server.readOutbound()) != null) {
        ByteBuf buf = (ByteBuf) out;
        pending.writeBytes(buf);
        buf.release();
      }
      while (pending.readableBytes() >= 5) {
        int length = pending.getInt(pending.readerIndex() + 1);
        assertThat(length).as("length field of a message to the server").isGreaterThanOrEqualTo(4);
        if (pending.readableBytes() < 1 + length) {
          return;
        }
        char type = (char) pending.readByte();
        pending.skipBytes(4);
        message(type, pending.readSlice(length - 4));
      }
    }

    void finish() {
      assertThat(pending.readableBytes()).as("bytes of a partial message to the server").isZero();
      pending.release();
    }

    private void message(char type, ByteBuf body) {
      switch (type) {
        case 'Q' -> {
          String sql = cstring(body);
          assertThat(ALLOWED_SQL.equals(sql) || sql.startsWith("EXECUTE " + POISON))
              .as("Query sent to the server: %s", sql).isTrue();
          portals.remove(""); // A simple Query drops the unnamed portal and statement.
          statements.remove("");
        }
        case 'P' -> {
          String name = cstring(body);
          String sql = cstring(body);
          assertThat(sql).as("Parse sent to the server").isEqualTo(ALLOWED_SQL);
          statements.add(name);
        }
        case 'B' -> {
          String portal = cstring(body);
          String statement = cstring(body);
          if (statement.startsWith(POISON)) {
            portals.remove(portal);
            return;
          }
          assertThat(statements).as("statements an allowed Parse made; Bind of \"%s\"", statement)
              .contains(statement);
          portals.add(portal);
        }
        case 'E' -> {
          String portal = cstring(body);
          assertThat(portals).as("portals bound to allowed statements; Execute of \"%s\"", portal)
              .contains(portal);
        }
        case 'C' -> {
          byte kind = body.readByte();
          String name = cstring(body);
          if (kind == 'S') {
            statements.remove(name);
          } else {
            portals.remove(name);
          }
        }
        case 'D', 'S', 'H', 'X', 'd', 'c', 'f' -> { }
        default -> throw new AssertionError("message type sent to the server: " + type);
      }
    }

    private static String cstring(ByteBuf body) {
      int end = body.indexOf(body.readerIndex(), body.writerIndex(), (byte) 0);
      assertThat(end).as("terminated string in a message to the server").isGreaterThanOrEqualTo(0);
      String s = body.toString(body.readerIndex(), end - body.readerIndex(), StandardCharsets.UTF_8);
      body.readerIndex(end + 1);
      return s;
    }
  }

  /** Allows exactly {@link #ALLOWED_SQL}, denies the rest; answers at once. */
  private static final class OneStatementPolicy implements PolicyClient {
    @Override
    public CompletableFuture<PolicyVerdict> decide(io.portcullis.document.RequestDocument input,
        io.portcullis.policy.CacheKey key) {
      boolean allow = input.request() instanceof io.portcullis.document.SqlRequest sql
          && ALLOWED_SQL.equals(sql.sql());
      Decision decision = allow
          ? new Decision(true, List.of(), List.of(), null, null, List.of(), null, false)
          : Decision.deny("only " + ALLOWED_SQL + " is allowed");
      return CompletableFuture.completedFuture(
          new PolicyVerdict(decision, "fuzz", "fuzz", PolicyVerdict.Source.OPA, 0));
    }

    @Override
    public boolean healthy() {
      return true;
    }

    @Override
    public String revision() {
      return "fuzz";
    }

    @Override
    public void close() {}
  }

  private static PgServices services() {
    try {
      Path dir = Files.createTempDirectory("pg-session-fuzz");
      GatewayConfig config = ConfigLoader.parse("fuzz", """
          listen:
            postgres: 127.0.0.1:0
          identity:
            audiences: [portcullis]
            dev_issuer: {enabled: true, listen: 127.0.0.1:0, key_file: /tmp/k.jwk}
          opa:
            url: http://127.0.0.1:8181
          targets:
            - {name: demo, protocol: postgres, host: 127.0.0.1, port: 5432, database: demo,
               user: gw, password_env: PW}
          """);
      var approvals = ApprovalService.start(config.approvals(), FileApprovalStore.inDataDir(dir),
          new ApprovalNotifier(List.of(), new ApprovalLinks(null)), Clock.systemUTC());
      var blocking = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
      return new PgServices(config, new JwtVerifier(config.identity()), new OneStatementPolicy(),
          new SqlAnalyzer(1000, Duration.ofMillis(200)),
          DecisionLog.open(dir.resolve("decisions.jsonl").toString()), new PgCancelRegistry(), blocking,
          Map.of(), Clock.systemUTC(), new PgCatalog(blocking, Map.of(), 60), new byte[32], approvals,
          AuditRecorder.disabled(), io.portcullis.monitor.Monitoring.create(config.monitoring(),
              AuditRecorder.disabled(), new ApprovalNotifier(List.of(), new ApprovalLinks(null)),
              Clock.systemUTC()));
    } catch (Exception e) {
      throw new IllegalStateException("cannot set up the session fuzz test", e);
    }
  }
}
