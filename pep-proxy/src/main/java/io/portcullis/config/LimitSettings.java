package io.portcullis.config;

import java.util.List;

/**
 * Protocol limits. Anything over a limit closes only the offending connection.
 *
 * @param maxMessageBytes largest frontend message after startup, default 1 MiB
 * @param maxServerMessageBytes largest message accepted from a target, default 256 MiB
 * @param authTimeoutS seconds a client has to finish startup and authentication, default 30
 * @param decisionCacheEntries analysed SQL shapes kept, default 10,000
 * @param parseTimeoutMs time limit for parsing one SQL text, default 200
 */
public record LimitSettings(
    Integer maxMessageBytes,
    Integer maxServerMessageBytes,
    Integer authTimeoutS,
    Integer decisionCacheEntries,
    Integer parseTimeoutMs) {

  /** The largest startup packet PostgreSQL itself accepts. */
  public static final int MAX_STARTUP_BYTES = 10_000;

  public LimitSettings {
    maxMessageBytes = maxMessageBytes == null ? 1 << 20 : maxMessageBytes;
    maxServerMessageBytes = maxServerMessageBytes == null ? 256 << 20 : maxServerMessageBytes;
    authTimeoutS = authTimeoutS == null ? 30 : authTimeoutS;
    decisionCacheEntries = decisionCacheEntries == null ? 10_000 : decisionCacheEntries;
    parseTimeoutMs = parseTimeoutMs == null ? 200 : parseTimeoutMs;
  }

  /** All defaults. */
  public static LimitSettings defaults() {
    return new LimitSettings(null, null, null, null, null);
  }

  void validate(List<String> errors) {
    range(errors, "limits.max_message_bytes", maxMessageBytes, 1024, 1 << 30);
    range(errors, "limits.max_server_message_bytes", maxServerMessageBytes, 1 << 16, 1 << 30);
    range(errors, "limits.auth_timeout_s", authTimeoutS, 1, 600);
    range(errors, "limits.decision_cache_entries", decisionCacheEntries, 0, 10_000_000);
    range(errors, "limits.parse_timeout_ms", parseTimeoutMs, 1, 60_000);
  }

  private static void range(List<String> errors, String name, int value, int min, int max) {
    if (value < min || value > max) {
      errors.add(name + ": " + value + " (expected: " + min + ".." + max + ")");
    }
  }
}
