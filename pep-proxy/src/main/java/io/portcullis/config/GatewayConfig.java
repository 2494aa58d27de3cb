package io.portcullis.config;

import io.portcullis.admin.AdminSettings;
import io.portcullis.approval.ApprovalSettings;
import io.portcullis.audit.AuditSettings;
import io.portcullis.identity.IdentitySettings;
import io.portcullis.monitor.MonitoringSettings;
import io.portcullis.policy.OpaSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's whole configuration, as read from one YAML file (see {@code config/example.yaml}).
 *
 * @param listen where the gateway accepts clients
 * @param identity how client tokens are verified
 * @param opa where decisions come from
 * @param targets the servers behind the gateway, by name
 * @param limits protocol limits
 * @param log where decision lines go
 * @param dataDir where the gateway keeps state (keys, logs, approvals), default {@code ./data}
 * @param admin the admin HTTP API, off unless {@code admin.listen} is set
 * @param approvals just-in-time approvals: timeouts and webhooks
 * @param audit the audit log (session recording), on by default
 * @param masking how result values are masked
 * @param monitoring live activity per identity and alerts
 * @param http limits and timeouts of the HTTP gateway ({@code http} and {@code kubernetes} targets)
 * @param ssh the SSH listener's host key, timeouts and limits
 */
public record GatewayConfig(
    ListenSettings listen,
    IdentitySettings identity,
    OpaSettings opa,
    List<TargetSettings> targets,
    LimitSettings limits,
    LogSettings log,
    String dataDir,
    AdminSettings admin,
    ApprovalSettings approvals,
    AuditSettings audit,
    MaskingSettings masking,
    MonitoringSettings monitoring,
    HttpSettings http,
    SshSettings ssh) {

  public GatewayConfig {
    targets = targets == null ? List.of() : List.copyOf(targets);
    limits = limits == null ? LimitSettings.defaults() : limits;
    log = log == null ? new LogSettings(null) : log;
    dataDir = dataDir == null ? "data" : dataDir;
    admin = admin == null ? AdminSettings.off() : admin;
    approvals = approvals == null ? ApprovalSettings.defaults() : approvals;
    audit = audit == null ? AuditSettings.defaults() : audit;
    masking = masking == null ? MaskingSettings.defaults() : masking;
    monitoring = monitoring == null ? MonitoringSettings.defaults() : monitoring;
    http = http == null ? HttpSettings.defaults() : http;
    ssh = ssh == null ? SshSettings.defaults() : ssh;
  }

  /** The target with this name, if configured. */
  public Optional<TargetSettings> target(String name) {
    return targets.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /**
   * Checks the whole configuration and lists every problem at once.
   *
   * @throws ConfigException naming each invalid setting
   */
  public void validate() throws ConfigException {
    List<String> errors = new ArrayList<>();
    if (listen == null) {
      errors.add("listen: missing (expected: listen.postgres: host:port)");
    } else {
      listen.validate(errors);
    }
    check(errors, () -> {
      if (identity == null) {
        throw new IllegalArgumentException("identity: missing");
      }
      identity.validate();
    });
    check(errors, () -> {
      if (opa == null) {
        throw new IllegalArgumentException("opa: missing (expected: opa.url or opa.managed)");
      }
      opa.validate();
    });
    if (targets.isEmpty()) {
      errors.add("targets: empty (expected: at least one target)");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < targets.size(); i++) {
      TargetSettings t = targets.get(i);
      t.validate("targets[" + i + "]", errors);
      if (t.name() != null && !names.add(t.name())) {
        errors.add("targets[" + i + "].name: " + t.name() + " (expected: unique)");
      }
    }
    limits.validate(errors);
    admin.validate(errors);
    approvals.validate(errors);
    audit.validate(errors);
    masking.validate(errors);
    monitoring.validate(errors);
    http.validate(errors);
    ssh.validate(errors);
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
  }

  private static void check(List<String> errors, Runnable validation) {
    try {
      validation.run();
    } catch (IllegalArgumentException e) {
      errors.add(e.getMessage());
    }
  }
}
