package io.portcullis.http;

import static java.util.Objects.requireNonNull;

import io.netty.channel.socket.SocketChannel;
import io.portcullis.approval.ApprovalService;
import io.portcullis.audit.AuditRecorder;
import io.portcullis.config.GatewayConfig;
import io.portcullis.config.HttpSettings;
import io.portcullis.identity.JwtVerifier;
import io.portcullis.log.DecisionLog;
import io.portcullis.monitor.Monitoring;
import io.portcullis.policy.PolicyClient;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * What every HTTP listener of one gateway shares.
 *
 * @param config the gateway configuration
 * @param verifier verifies client tokens (may block on a JWKS fetch: run on {@code blockingExecutor})
 * @param policy the policy client
 * @param decisionLog where each decision is written
 * @param blockingExecutor runs blocking work off the event loops
 * @param env the process environment, for upstream credentials
 * @param clock the gateway's clock
 * @param maskKey the HMAC key of the {@code hash} masking strategy
 * @param approvals holds requests until a person approves them
 * @param audit records sessions, requests and approvals before they go on
 * @param monitoring activity per identity, alerts and metrics
 * @param socketChannel the transport's client socket class, for upstream connections
 */
public record HttpServices(
    GatewayConfig config,
    JwtVerifier verifier,
    PolicyClient policy,
    DecisionLog decisionLog,
    Executor blockingExecutor,
    Map<String, String> env,
    Clock clock,
    byte[] maskKey,
    ApprovalService approvals,
    AuditRecorder audit,
    Monitoring monitoring,
    Class<? extends SocketChannel> socketChannel) {

  public HttpServices {
    requireNonNull(config, "config");
    requireNonNull(verifier, "verifier");
    requireNonNull(policy, "policy");
    requireNonNull(decisionLog, "decisionLog");
    requireNonNull(blockingExecutor, "blockingExecutor");
    requireNonNull(env, "env");
    requireNonNull(clock, "clock");
    requireNonNull(approvals, "approvals");
    requireNonNull(audit, "audit");
    requireNonNull(monitoring, "monitoring");
    requireNonNull(socketChannel, "socketChannel");
  }

  /** The HTTP gateway's limits. */
  public HttpSettings http() {
    return config.http();
  }
}
