package io.portcullis.ssh;

import static java.util.Objects.requireNonNull;

import io.portcullis.approval.ApprovalService;
import io.portcullis.audit.AuditRecorder;
import io.portcullis.config.GatewayConfig;
import io.portcullis.identity.JwtVerifier;
import io.portcullis.log.DecisionLog;
import io.portcullis.monitor.Monitoring;
import io.portcullis.policy.PolicyClient;
import java.time.Clock;
import java.util.Map;

/**
 * What every SSH session of one gateway shares.
 *
 * @param config the gateway configuration
 * @param verifier verifies client tokens
 * @param policy the policy client
 * @param decisionLog where each decision is written
 * @param env the process environment, for target passwords
 * @param clock the gateway's clock
 * @param maskKey the HMAC key of the {@code hash} masking strategy
 * @param approvals holds requests until a person approves them
 * @param audit records sessions, requests and terminal streams before they go on
 * @param monitoring activity per identity, alerts and metrics
 * @param subsystems what relays the bytes of an allowed subsystem (sftp) between client and target
 */
public record SshServices(
    GatewayConfig config,
    JwtVerifier verifier,
    PolicyClient policy,
    DecisionLog decisionLog,
    Map<String, String> env,
    Clock clock,
    byte[] maskKey,
    ApprovalService approvals,
    AuditRecorder audit,
    Monitoring monitoring,
    SshSubsystemRelays subsystems) {

  public SshServices {
    requireNonNull(config, "config");
    requireNonNull(verifier, "verifier");
    requireNonNull(policy, "policy");
    requireNonNull(decisionLog, "decisionLog");
    requireNonNull(env, "env");
    requireNonNull(clock, "clock");
    requireNonNull(maskKey, "maskKey");
    requireNonNull(approvals, "approvals");
    requireNonNull(audit, "audit");
    requireNonNull(monitoring, "monitoring");
    requireNonNull(subsystems, "subsystems");
  }
}
