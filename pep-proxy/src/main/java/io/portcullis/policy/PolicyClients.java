package io.portcullis.policy;

import io.portcullis.document.RequestDocument;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** Builds the policy client the configuration asks for. */
public final class PolicyClients {

  private PolicyClients() {}

  /**
   * Starts a managed OPA if configured, and returns a client (caching if enabled) whose close()
   * also stops that OPA.
   */
  public static PolicyClient create(OpaSettings settings) throws IOException {
    OpaProcess process = settings.managed() != null ? OpaProcess.start(settings.managed()) : null;
    PolicyClient client = new OpaPolicyClient(settings.baseUrl(), settings.timeoutMs());
    if (settings.cacheEnabled() && settings.cacheEntries() > 0 && settings.cacheMaxTtlS() > 0) {
      client = new CachingPolicyClient(client, settings.cacheMaxTtlS(), settings.cacheEntries());
    }
    return process == null ? client : new WithProcess(client, process);
  }

  /** A client that also owns the OPA process it talks to. */
  private record WithProcess(PolicyClient client, OpaProcess process) implements PolicyClient {
    @Override
    public CompletableFuture<PolicyVerdict> decide(RequestDocument input, CacheKey key) {
      return client.decide(input, key);
    }

    @Override
    public boolean healthy() {
      return client.healthy();
    }

    @Override
    public String revision() {
      return client.revision();
    }

    @Override
    public void close() {
      client.close();
      process.close();
    }
  }
}
