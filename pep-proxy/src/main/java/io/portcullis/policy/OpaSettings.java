package io.portcullis.policy;

import io.portcullis.config.HostPort;

/**
 * Where decisions come from: an external OPA by URL, or OPA as a managed child process.
 *
 * @param url base URL of an external OPA, or null when managed
 * @param timeoutMs how long to wait for a decision before denying, default 300
 * @param managed the child process to start, or null for an external OPA
 * @param cacheMaxTtlS the longest a cacheable decision is reused, default 300
 * @param cacheEntries how many decisions to keep, default 100,000
 * @param cacheEnabled whether to reuse decisions the policy marks cacheable, default true
 */
public record OpaSettings(String url, Integer timeoutMs, ManagedOpa managed, Integer cacheMaxTtlS,
    Integer cacheEntries, Boolean cacheEnabled) {

  public OpaSettings {
    timeoutMs = timeoutMs == null ? 300 : timeoutMs;
    cacheMaxTtlS = cacheMaxTtlS == null ? 300 : cacheMaxTtlS;
    cacheEntries = cacheEntries == null ? 100_000 : cacheEntries;
    cacheEnabled = cacheEnabled == null ? Boolean.TRUE : cacheEnabled;
  }

  /**
   * OPA as a child process of the gateway.
   *
   * @param binary the opa binary, default {@code opa} on PATH
   * @param policies a directory of .rego files (exactly one of policies and bundle)
   * @param bundle a bundle built by opa-bundles/build.sh
   * @param addr loopback {@code host:port} to serve on, default 127.0.0.1:8181
   * @param logFile where OPA's output (including its decision log) goes, default data/opa.log
   */
  public record ManagedOpa(String binary, String policies, String bundle, String addr, String logFile) {
    public ManagedOpa {
      binary = binary == null ? "opa" : binary;
      addr = addr == null ? "127.0.0.1:8181" : addr;
      logFile = logFile == null ? "data/opa.log" : logFile;
    }

    /** The address OPA listens on. */
    public HostPort address() {
      return HostPort.parse("opa.managed.addr", addr);
    }
  }

  /** The base URL decisions are asked at. */
  public String baseUrl() {
    return managed != null ? "http://" + managed.address() : url;
  }

  /** Checks the settings; the message names the setting. */
  public void validate() {
    if ((url == null) == (managed == null)) {
      throw new IllegalArgumentException("opa: set exactly one of url or managed");
    }
    if (url != null && !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw new IllegalArgumentException("opa.url: " + url + " (expected: http:// or https:// URL)");
    }
    if (timeoutMs < 1 || timeoutMs > 10_000) {
      throw new IllegalArgumentException("opa.timeout_ms: " + timeoutMs + " (expected: 1..10000)");
    }
    if (cacheMaxTtlS < 0 || cacheMaxTtlS > 3600) {
      throw new IllegalArgumentException("opa.cache_max_ttl_s: " + cacheMaxTtlS + " (expected: 0..3600)");
    }
    if (cacheEntries < 0) {
      throw new IllegalArgumentException("opa.cache_entries: " + cacheEntries + " (expected: >= 0)");
    }
    if (managed != null) {
      if ((managed.policies() == null) == (managed.bundle() == null)) {
        throw new IllegalArgumentException("opa.managed: set exactly one of policies or bundle");
      }
      if (!managed.address().isLoopback()) {
        throw new IllegalArgumentException("opa.managed.addr: " + managed.addr()
            + " (expected: a loopback address; a managed OPA is never exposed)");
      }
    }
  }
}
