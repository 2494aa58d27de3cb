package io.portcullis.policy;

import io.portcullis.document.RequestDocument;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Reuses decisions that the policy marks cacheable ({@code cache: {ttl_s, scope}}), for the same
 * identity, target, database and statement, under the same policy revision, before their TTL ends.
 *
 * <p>Reuse never outlives trust in the policy engine: the whole cache is dropped when the engine
 * fails a request or a health check, or its revision changes. So with OPA down every request is
 * denied, at most one health-check interval (1 s) after it stopped answering. Decisions that ask
 * for an approval are never reused: each approval is for one request. Decisions that mask are
 * reused like any other: their rules follow from the identity and the statement's shape, and the
 * gateway masks every result anew.
 *
 * <p>A decision whose hint names {@code stats_below} is reused only while each named counter of
 * the request's {@code input.context.stats} is below its bound: past it, the policy is asked
 * again, so a cached decision never hides an alert, a hold or a termination that the activity
 * would now trigger.
 */
public final class CachingPolicyClient implements PolicyClient {

  private record Entry(PolicyVerdict verdict, long expiresAt, String revision) {}

  private final PolicyClient delegate;
  private final long maxTtlNanos;
  private final int maxEntries;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private volatile String revisionSeen;

  public CachingPolicyClient(PolicyClient delegate, int maxTtlS, int maxEntries) {
    this(delegate, maxTtlS, maxEntries, System::nanoTime);
  }

  CachingPolicyClient(PolicyClient delegate, int maxTtlS, int maxEntries, LongSupplier nanoTime) {
    this.delegate = delegate;
    this.maxTtlNanos = TimeUnit.SECONDS.toNanos(maxTtlS);
    this.maxEntries = maxEntries;
    this.nanoTime = nanoTime;
  }

  @Override
  public CompletableFuture<PolicyVerdict> decide(RequestDocument input, CacheKey key) {
    long start = nanoTime.getAsLong();
    String revision = delegate.revision();
    if (!delegate.healthy() || !Objects.equals(revision, revisionSeen)) {
      entries.clear();
      revisionSeen = revision;
    } else {
      var stats = input.context().stats();
      PolicyVerdict hit = lookup(key.byFingerprint(), revision, start, stats);
      if (hit == null) {
        hit = lookup(key.byExactText(), revision, start, stats);
      }
      if (hit != null) {
        return CompletableFuture.completedFuture(new PolicyVerdict(hit.decision(), hit.decisionId(),
            hit.revision(), PolicyVerdict.Source.CACHE, nanoTime.getAsLong() - start));
      }
    }
    return delegate.decide(input, key).thenApply(verdict -> {
      remember(key, verdict, revision);
      return verdict;
    });
  }

  private PolicyVerdict lookup(String cacheKey, String revision, long now,
      io.portcullis.document.Context.Stats stats) {
    if (cacheKey == null) {
      return null;
    }
    Entry entry = entries.get(cacheKey);
    if (entry == null) {
      return null;
    }
    if (now - entry.expiresAt() >= 0 || !Objects.equals(entry.revision(), revision)) {
      entries.remove(cacheKey, entry);
      return null;
    }
    if (!entry.verdict().decision().cache().admits(stats)) {
      return null; // Activity crossed a bound the policy watches: ask it again.
    }
    return entry.verdict();
  }

  private void remember(CacheKey key, PolicyVerdict verdict, String revisionAtRequest) {
    if (verdict.source() == PolicyVerdict.Source.FAILURE) {
      entries.clear();
      return;
    }
    Decision decision = verdict.decision();
    Decision.CacheHint hint = decision.cache();
    if (hint == null || decision.approvalRequired()) {
      return;
    }
    // Cache only under the revision that made the decision, when it is still the current one.
    String revision = verdict.revision() != null ? verdict.revision() : revisionAtRequest;
    if (!Objects.equals(revision, delegate.revision())) {
      return;
    }
    String cacheKey = "fingerprint".equals(hint.scope()) ? key.byFingerprint() : key.byExactText();
    if (cacheKey == null) {
      return;
    }
    if (entries.size() >= maxEntries) {
      entries.clear(); // Bounded: a full cache starts over rather than grow.
    }
    long ttl = Math.min(TimeUnit.SECONDS.toNanos(hint.ttlS()), maxTtlNanos);
    entries.put(cacheKey, new Entry(verdict, nanoTime.getAsLong() + ttl, revision));
  }

  /** How many decisions are held (for tests and metrics). */
  int size() {
    return entries.size();
  }

  @Override
  public boolean healthy() {
    return delegate.healthy();
  }

  @Override
  public String revision() {
    return delegate.revision();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
