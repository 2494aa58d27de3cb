package io.portcullis.gateway;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.portcullis.admin.AdminRoute;
import io.portcullis.admin.AdminServer;
import io.portcullis.admin.Auditors;
import io.portcullis.admin.AuditRoutes;
import io.portcullis.admin.ApprovalRoutes;
import io.portcullis.admin.MonitoringRoutes;
import io.portcullis.approval.ApprovalLinks;
import io.portcullis.approval.ApprovalNotifier;
import io.portcullis.approval.ApprovalService;
import io.portcullis.approval.ApprovalState;
import io.portcullis.approval.ApprovalStore;
import io.portcullis.approval.FileApprovalStore;
import io.portcullis.approval.PostgresApprovalStore;
import io.portcullis.audit.AuditSettings;
import io.portcullis.audit.AuditReader;
import io.portcullis.audit.AuditRecorder;
import io.portcullis.audit.AuditSettings;
import io.portcullis.audit.CheckpointSigner;
import io.portcullis.config.GatewayConfig;
import io.portcullis.config.TlsSettings;
import io.portcullis.http.HttpListener;
import io.portcullis.http.HttpProtocols;
import io.portcullis.http.HttpServices;
import io.portcullis.identity.DevIssuer;
import io.portcullis.identity.IdentitySettings;
import io.portcullis.identity.JwtVerifier;
import io.portcullis.log.DecisionLog;
import io.portcullis.monitor.GatewayMetrics;
import io.portcullis.monitor.Monitoring;
import io.portcullis.monitor.SharedActivity;
import io.portcullis.pg.PgCancelRegistry;
import io.portcullis.pg.PgCatalog;
import io.portcullis.pg.PgListener;
import io.portcullis.pg.PgServices;
import io.portcullis.policy.PolicyClient;
import io.portcullis.policy.PolicyClients;
import io.portcullis.sql.SqlAnalyzer;
import io.portcullis.ssh.SshListener;
import io.portcullis.ssh.SshServices;
import io.portcullis.ssh.SftpRelays;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: policy client (and managed OPA), identity, and the PostgreSQL listener.
 * Closing it stops everything it started, in reverse order.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private PgListener postgres;
  private final Map<String, HttpListener> httpListeners = new java.util.HashMap<>();
  private SshListener ssh;
  private DevIssuer devIssuer;
  private ApprovalService approvals;
  private AdminServer admin;
  private AuditRecorder audit = AuditRecorder.disabled();
  private Monitoring monitoring;
  /** Set once every listener is bound: readiness waits for it (the admin API starts first). */
  private volatile boolean started;

  private Gateway() {}

  /**
   * Starts a gateway from a validated configuration.
   *
   * @param env the environment the target passwords are read from
   * @throws Exception when anything fails to start; whatever had started is stopped again
   */
  public static Gateway start(GatewayConfig config, Map<String, String> env) throws Exception {
    Gateway gateway = new Gateway();
    try {
      gateway.startAll(config, env);
      gateway.started = true;
      return gateway;
    } catch (Exception | Error e) {
      gateway.close();
      throw e;
    }
  }

  private void startAll(GatewayConfig config, Map<String, String> env) throws Exception {
    DecisionLog decisionLog = keep(DecisionLog.open(config.log().decisions()));
    // Opened before the listeners so that it closes after them, with their last records in it.
    audit = keep(AuditRecorder.open(config.audit(), java.nio.file.Path.of(config.dataDir()), env));
    IdentitySettings identity = config.identity();
    if (identity.devIssuer() != null && identity.devIssuer().enabled()) {
      String audience = identity.audiences() == null || identity.audiences().isEmpty()
          ? "portcullis" : identity.audiences().get(0);
      devIssuer = keep(DevIssuer.start(identity.devIssuer(), identity.devIssuerUrl(), audience));
      log.info("development token issuer at {} (never enable it in production)", devIssuer.issuer());
    }
    JwtVerifier verifier = new JwtVerifier(identity.withDevIssuer(devIssuer));
    ApprovalLinks links = new ApprovalLinks(config.approvals().publicUrl());
    // One notifier for approvals and alerts: the same webhooks hear about both.
    ApprovalNotifier notifier = new ApprovalNotifier(config.approvals().webhooks(), links);
    approvals = keep(ApprovalService.start(config.approvals(), approvalStore(config, env), notifier,
        Clock.systemUTC()));
    PolicyClient policy = keep(PolicyClients.create(config.opa()));
    monitoring = Monitoring.create(config.monitoring(), audit, notifier, Clock.systemUTC());
    gauges(monitoring.metrics(), policy);
    shareActivity(config, env);
    startAdmin(config, verifier, env, links, policy);
    SqlAnalyzer analyzer = new SqlAnalyzer(config.limits().decisionCacheEntries(),
        Duration.ofMillis(config.limits().parseTimeoutMs()));
    ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    keep(blocking::shutdownNow);
    EventLoopGroup boss = NettyTransport.group(1);
    keep(() -> boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly());
    EventLoopGroup workers = NettyTransport.group(Runtime.getRuntime().availableProcessors());
    keep(() -> workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly());
    PgCatalog catalog = keep(new PgCatalog(blocking, env, config.masking().catalogTtlS()));
    byte[] maskKey = config.masking().hashKey(env, config.dataDir());
    PgServices services = new PgServices(config, verifier, policy, analyzer, decisionLog,
        new PgCancelRegistry(), blocking, env, Clock.systemUTC(), catalog, maskKey, approvals, audit,
        monitoring);
    postgres = keep(PgListener.bind(config.listen().postgresAddress(), boss, workers, services,
        sslContext(config.listen().tls())));
    log.info("postgres listener on {}:{} ({})", config.listen().postgresAddress().host(), postgres.port(),
        NettyTransport.name());
    startHttp(config, new HttpServices(config, verifier, policy, decisionLog, blocking, env,
        Clock.systemUTC(), maskKey, approvals, audit, monitoring, NettyTransport.socketChannel()), boss, workers);
    if (config.listen().sshAddress() != null) {
      SshServices sshServices = new SshServices(config, verifier, policy, decisionLog, env, Clock.systemUTC(),
          maskKey, approvals, audit, monitoring, SftpRelays.inspected());
      ssh = keep(SshListener.start(config.listen().sshAddress(), config.ssh(), config.dataDir(), sshServices));
    }
  }

  /** One listener per {@code http} and {@code kubernetes} target. */
  private void startHttp(GatewayConfig config, HttpServices services, EventLoopGroup boss,
      EventLoopGroup workers) throws Exception {
    for (var target : config.targets()) {
      if (!HttpProtocols.served(target.protocol())) {
        continue;
      }
      HttpListener listener = keep(HttpListener.bind(target, services, config.listen().tls(), boss,
          workers, NettyTransport.serverChannel()));
      httpListeners.put(target.name(), listener);
      log.info("{} listener for target {} on {}:{}", target.protocol(), target.name(),
          target.listenAddress().host(), listener.port());
    }
  }

  /**
   * With the PostgreSQL audit store, shares the activity counters with the other gateways using
   * that database, unless {@code monitoring.share_interval_ms} is 0.
   */
  private void shareActivity(GatewayConfig config, Map<String, String> env) {
    AuditSettings settings = config.audit();
    if (!settings.enabled() || !"postgres".equals(settings.store())
        || config.monitoring().shareIntervalMs() == 0) {
      return;
    }
    SharedActivity shared = keep(SharedActivity.start(monitoring.activity(), settings.postgres(),
        settings.postgres().password(env), config.monitoring(), System::currentTimeMillis));
    monitoring.metrics().gauge("portcullis_activity_shared_age_seconds",
        "Seconds since the activity counters were last exchanged with the other gateways (-1: never)",
        () -> shared.lastSyncMillis() == 0 ? -1 : (System.currentTimeMillis() - shared.lastSyncMillis()) / 1000.0);
    log.info("activity counters shared through {} every {} ms as {}", settings.postgres().jdbcUrl(),
        config.monitoring().shareIntervalMs(), settings.postgres().chain());
  }

  /** The gauges read at each scrape: health of OPA and the audit log, queues, pending approvals. */
  private void gauges(GatewayMetrics metrics, PolicyClient policy) {
    metrics.gauge("portcullis_opa_healthy", "1 when OPA answered its last health check (once a second)",
        () -> policy.healthy() ? 1 : 0);
    metrics.gauge("portcullis_audit_healthy", "1 when the audit log is writable; 0 refuses every request",
        () -> audit.healthy() ? 1 : 0);
    metrics.gauge("portcullis_audit_queue_records", "Audit records waiting for the writer",
        audit::queuedRecords);
    metrics.gauge("portcullis_audit_spool_bytes",
        "Bytes of audit records spooled locally while the audit database is down", audit::spoolBytes);
    metrics.gauge("portcullis_approvals_pending", "Requests held for approval now",
        () -> approvals.list(ApprovalState.PENDING).size());
  }

  /** The admin API, when {@code admin.listen} is set. */
  private void startAdmin(GatewayConfig config, JwtVerifier verifier, Map<String, String> env,
      ApprovalLinks links, PolicyClient policy) throws Exception {
    if (config.admin().listen() == null) {
      return;
    }
    List<AdminRoute> routes = new ArrayList<>(ApprovalRoutes.of(approvals));
    routes.addAll(auditRoutes(config, env));
    routes.addAll(MonitoringRoutes.of(monitoring.metrics(), List.of(
        new MonitoringRoutes.Check("opa", () -> policy.healthy() ? null
            : "OPA did not answer its last health check; every request is denied"),
        new MonitoringRoutes.Check("audit", () -> audit.healthy() ? null : audit.problem()),
        new MonitoringRoutes.Check("listeners", () -> started ? null : "the gateway is still starting its listeners")),
        config.admin().metricsRequireToken()));
    admin = keep(AdminServer.start(config.admin().listenAddress().socketAddress(), verifier, routes));
    if (links.adminUrl() == null) {
      links.adminUrl(admin.url());
    }
    log.info("admin API on {}", admin.url());
  }

  /** Approvals live where the audit log does: its PostgreSQL database, else the data directory. */
  private static ApprovalStore approvalStore(GatewayConfig config, Map<String, String> env) {
    AuditSettings audit = config.audit();
    if (audit.enabled() && "postgres".equals(audit.store())) {
      return new PostgresApprovalStore(audit.postgres(), audit.postgres().password(env));
    }
    return FileApprovalStore.inDataDir(Path.of(config.dataDir()));
  }

  /** The audit log's routes, reading the store this gateway writes; only admin.auditors may call them. */
  private List<AdminRoute> auditRoutes(GatewayConfig config, Map<String, String> env) throws IOException {
    AuditSettings settings = config.audit();
    Path dataDir = Path.of(config.dataDir());
    Path dir = AuditSettings.directory(dataDir);
    AuditReader reader = null;
    PublicKey key = null;
    if (audit.enabled()) {
      reader = settings.store().equals("postgres")
          ? AuditReader.postgres(settings.postgres(), settings.postgres().password(env), dir)
          : AuditReader.embeddedLive(dir);
      key = CheckpointSigner.readPublicKey(CheckpointSigner.publicKeyFile(settings.signingKey(dataDir)));
    }
    return AuditRoutes.of(reader, key, new Auditors(config.admin().auditors()), Clock.systemUTC());
  }

  private static SslContext sslContext(TlsSettings tls) throws SSLException {
    if (tls == null) {
      return null;
    }
    return SslContextBuilder.forServer(new File(tls.certFile()), new File(tls.keyFile()))
        .protocols("TLSv1.3", "TLSv1.2")
        .build();
  }

  private <T extends AutoCloseable> T keep(T resource) {
    resources.push(resource);
    return resource;
  }

  /** The PostgreSQL listener's bound port. */
  public int postgresPort() {
    return postgres.port();
  }

  /** The bound port of an {@code http} or {@code kubernetes} target's listener. */
  public int httpPort(String target) {
    HttpListener listener = httpListeners.get(target);
    if (listener == null) {
      throw new IllegalArgumentException("target " + target + ": no HTTP listener");
    }
    return listener.port();
  }

  /** The SSH listener's bound port, or -1 when {@code listen.ssh} is not set. */
  public int sshPort() {
    return ssh == null ? -1 : ssh.port();
  }

  /** The approval service that holds requests until an approver decides. */
  public ApprovalService approvals() {
    return approvals;
  }

  /** The admin API's bound port, or -1 when {@code admin.listen} is not set. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  /** The audit recorder (a disabled one when audit.enabled is false). */
  public AuditRecorder audit() {
    return audit;
  }

  /** Activity, alerts and metrics. */
  public Monitoring monitoring() {
    return monitoring;
  }

  /** The development issuer, or null when it is off. */
  public DevIssuer devIssuer() {
    return devIssuer;
  }

  @Override
  public void close() {
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        log.warn("error while stopping: {}", e.toString());
      }
    }
  }
}
