package io.portcullis.pg;

import static java.util.Objects.requireNonNull;

import io.portcullis.approval.ApprovalService;
import io.portcullis.audit.AuditRecorder;
import io.portcullis.config.GatewayConfig;
import io.portcullis.identity.JwtVerifier;
import io.portcullis.log.DecisionLog;
import io.portcullis.monitor.Monitoring;
import io.portcullis.policy.PolicyClient;
import io.portcullis.sql.SqlAnalyzer;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * What every PostgreSQL session of one gateway shares.
 *
 * @param config the gateway configuration
 * @param verifier verifies client tokens (blocking; run on {@code blockingExecutor})
 * @param policy the policy client
 * @param analyzer the SQL analyser
 * @param decisionLog where each decision is written
 * @param cancels gateway-issued cancel keys
 * @param blockingExecutor runs blocking work (token verification) off the event loops
 * @param env the process environment, for target passwords
 * @param clock the gateway's clock
 * @param catalog names the tables and columns of result fields, for masking
 * @param maskKey the HMAC key of the {@code hash} masking strategy
 * @param approvals holds requests until a person approves them
 * @param audit records sessions, requests and approvals before they go on
 * @param monitoring activity per identity, alerts and metrics
 */
public record PgServices(
    GatewayConfig config,
    JwtVerifier verifier,
    PolicyClient policy,
    SqlAnalyzer analyzer,
    DecisionLog decisionLog,
    PgCancelRegistry cancels,
    Executor blockingExecutor,
    Map<String, String> env,
    Clock clock,
    PgCatalog catalog,
    byte[] maskKey,
    ApprovalService approvals,
    AuditRecorder audit,
    Monitoring monitoring) {

  public PgServices {
    requireNonNull(config, "config");
    requireNonNull(verifier, "verifier");
    requireNonNull(policy, "policy");
    requireNonNull(analyzer, "analyzer");
    requireNonNull(decisionLog, "decisionLog");
    requireNonNull(cancels, "cancels");
    requireNonNull(blockingExecutor, "blockingExecutor");
    requireNonNull(env, "env");
    requireNonNull(clock, "clock");
    requireNonNull(catalog, "catalog");
    requireNonNull(maskKey, "maskKey");
    requireNonNull(approvals, "approvals");
    requireNonNull(audit, "audit");
    requireNonNull(monitoring, "monitoring");
  }
}
