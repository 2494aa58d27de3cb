package io.portcullis.monitor;

import java.util.List;

/**
 * Settings of live activity tracking and alerts ({@code monitoring} in the gateway's YAML).
 *
 * @param maxIdentities identities whose activity is kept, default 10,000 (about 3 KB each, plus
 *     1.5 KB per target they use); over it, idle identities and then the least recently active
 *     ones without an open session are dropped
 * @param identityIdleS an identity with no open session and no activity for this long is dropped,
 *     with the source addresses it was seen from, default 86,400 (a day)
 * @param maxSourcesPerIdentity source addresses remembered per identity, default 64 (the least
 *     recently seen is forgotten first)
 * @param maxTablesPerIdentity distinct tables counted per identity and target, default 1,024
 * @param alertRepeatS the same alert for the same identity, target and source address is recorded and announced
 *     at most once in this many seconds (later ones are counted into the next), default 60
 * @param shareIntervalMs with {@code audit.store: postgres}, how often the gateway publishes its
 *     activity counters to the database and reads the other gateways' (0: not shared), default 1000
 */
public record MonitoringSettings(
    Integer maxIdentities,
    Integer identityIdleS,
    Integer maxSourcesPerIdentity,
    Integer maxTablesPerIdentity,
    Integer alertRepeatS,
    Integer shareIntervalMs) {

  public MonitoringSettings {
    maxIdentities = maxIdentities == null ? 10_000 : maxIdentities;
    identityIdleS = identityIdleS == null ? 86_400 : identityIdleS;
    maxSourcesPerIdentity = maxSourcesPerIdentity == null ? 64 : maxSourcesPerIdentity;
    maxTablesPerIdentity = maxTablesPerIdentity == null ? 1_024 : maxTablesPerIdentity;
    alertRepeatS = alertRepeatS == null ? 60 : alertRepeatS;
    shareIntervalMs = shareIntervalMs == null ? 1_000 : shareIntervalMs;
  }

  /** All defaults. */
  public static MonitoringSettings defaults() {
    return new MonitoringSettings(null, null, null, null, null, null);
  }

  /** Settings with sharing at its default. */
  public MonitoringSettings(Integer maxIdentities, Integer identityIdleS, Integer maxSourcesPerIdentity,
      Integer maxTablesPerIdentity, Integer alertRepeatS) {
    this(maxIdentities, identityIdleS, maxSourcesPerIdentity, maxTablesPerIdentity, alertRepeatS, null);
  }

  /** Adds one message per invalid setting to {@code errors}. */
  public void validate(List<String> errors) {
    range(errors, "monitoring.max_identities", maxIdentities, 1, 10_000_000);
    range(errors, "monitoring.identity_idle_s", identityIdleS, 3_600, 365 * 86_400);
    range(errors, "monitoring.max_sources_per_identity", maxSourcesPerIdentity, 1, 100_000);
    range(errors, "monitoring.max_tables_per_identity", maxTablesPerIdentity, 1, 1_000_000);
    range(errors, "monitoring.alert_repeat_s", alertRepeatS, 0, 86_400);
    if (shareIntervalMs != 0) {
      range(errors, "monitoring.share_interval_ms", shareIntervalMs, 100, 60_000);
    }
  }

  private static void range(List<String> errors, String name, int value, int min, int max) {
    if (value < min || value > max) {
      errors.add(name + ": " + value + " (expected: " + min + ".." + max + ")");
    }
  }
}
