package io.portcullis.policy;

import io.portcullis.document.RequestDocument;
import java.util.concurrent.CompletableFuture;

/**
 * Asks for a decision on a request. The future never completes exceptionally: a failure to get
 * a valid decision completes it with a deny ({@link PolicyVerdict#failure}), so callers fail closed
 * without handling errors. A decision that is at hand completes the future before it is returned.
 */
public interface PolicyClient extends AutoCloseable {

  /** Decides on {@code input}; {@code key} says what a cacheable decision may be reused for. */
  CompletableFuture<PolicyVerdict> decide(RequestDocument input, CacheKey key);

  /** Whether the policy engine answered its last health check. */
  boolean healthy();

  /** The policy revision seen last, or null when unknown. */
  String revision();

  @Override
  void close();
}
