package io.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.document.RequestDocument;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingPolicyClientTest {

  /** A policy engine that answers with a prepared verdict and counts the calls. */
  private static final class FakeEngine implements PolicyClient {
    final AtomicInteger calls = new AtomicInteger();
    volatile PolicyVerdict next;
    volatile boolean healthy = true;
    volatile String revision = "r1";

    @Override
    public CompletableFuture<PolicyVerdict> decide(RequestDocument input, CacheKey key) {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture(next);
    }

    @Override
    public boolean healthy() {
      return healthy;
    }

    @Override
    public String revision() {
      return revision;
    }

    @Override
    public void close() {}
  }

  private final FakeEngine engine = new FakeEngine();
  private final AtomicLong now = new AtomicLong();
  private final CachingPolicyClient cache = new CachingPolicyClient(engine, 300, 1000, now::get);

  private static PolicyVerdict verdict(boolean allow, Decision.CacheHint hint) {
    return new PolicyVerdict(new Decision(allow, List.of(), List.of(), null, null, List.of(), hint, false),
        "d1", "r1", PolicyVerdict.Source.OPA, 1);
  }

  private PolicyVerdict decide(CacheKey key) throws Exception {
    return cache.decide(Inputs.select(), key).get(1, TimeUnit.SECONDS);
  }

  @Test
  void cacheableDecisionIsReusedForTheSameKey() throws Exception {
    engine.next = verdict(true, new Decision.CacheHint(30, "fingerprint"));
    decide(Inputs.key("ci", "fp1"));
    PolicyVerdict second = decide(Inputs.key("ci", "fp1"));
    assertThat(engine.calls).hasValue(1);
    assertThat(second.source()).isEqualTo(PolicyVerdict.Source.CACHE);
    assertThat(second.decisionId()).isEqualTo("d1");
  }

  @Test
  void otherSubjectGroupsTargetOrStatementMiss() throws Exception {
    engine.next = verdict(true, new Decision.CacheHint(30, "fingerprint"));
    decide(Inputs.key("ci", "fp1"));
    decide(Inputs.key("other", "fp1"));
    decide(Inputs.key("ci", "fp2"));
    decide(new CacheKey("ci", List.of("writers"), "demo", "demo", "fp1", "SELECT 1"));
    decide(new CacheKey("ci", List.of("readers"), "prod", "demo", "fp1", "SELECT 1"));
    assertThat(engine.calls).hasValue(5);
  }

  @Test
  void groupOrderDoesNotMatter() throws Exception {
    engine.next = verdict(true, new Decision.CacheHint(30, "fingerprint"));
    decide(new CacheKey("ci", List.of("a", "b"), "demo", "demo", "fp1", "x"));
    decide(new CacheKey("ci", List.of("b", "a"), "demo", "demo", "fp1", "x"));
    assertThat(engine.calls).hasValue(1);
  }

  @Test
  void exactScopeNeedsTheSameText() throws Exception {
    engine.next = verdict(true, new Decision.CacheHint(30, "exact"));
    decide(new CacheKey("ci", List.of(), "demo", "demo", "fp1", "SELECT 1"));
    decide(new CacheKey("ci", List.of(), "demo", "demo", "fp1", "SELECT 2"));
    decide(new CacheKey("ci", List.of(), "demo", "demo", "fp1", "SELECT 1"));
    assertThat(engine.calls).hasValue(2);
  }

  @Test
  void expiredDecisionIsNotReused() throws Exception {
    engine.next = verdict(true, new Decision.CacheHint(30, "fingerprint"));
    decide(Inputs.key("ci", "fp1"));
    now.addAndGet(TimeUnit.SECONDS.toNanos(31));
    decide(Inputs.key("ci", "fp1"));
    assertThat(engine.calls).hasValue(2);
  }

  @Test
  void ttlIsCappedByConfiguration() throws Exception {
    CachingPolicyClient capped = new CachingPolicyClient(engine, 5, 1000, now::get);
    engine.next = verdict(true, new Decision.CacheHint(3600, "fingerprint"));
    capped.decide(Inputs.select(), Inputs.key("ci", "fp1")).get();
    now.addAndGet(TimeUnit.SECONDS.toNanos(6));
    capped.decide(Inputs.select(), Inputs.key("ci", "fp1")).get();
    assertThat(engine.calls).hasValue(2);
  }

  @Test
  void revisionChangeInvalidates() throws Exception {
    engine.next = verdict(true, new Decision.CacheHint(30, "fingerprint"));
    decide(Inputs.key("ci", "fp1"));
    engine.revision = "r2";
    decide(Inputs.key("ci", "fp1"));
    assertThat(engine.calls).hasValue(2);
  }

  @Test
  void unhealthyEngineServesNoCachedDecision() throws Exception {
    engine.next = verdict(true, new Decision.CacheHint(30, "fingerprint"));
    decide(Inputs.key("ci", "fp1"));
    engine.healthy = false;
    engine.next = PolicyVerdict.failure("down", 0);
    assertThat(decide(Inputs.key("ci", "fp1")).allowed()).isFalse();
    assertThat(cache.size()).isZero();
  }

  @Test
  void failureClearsTheCache() throws Exception {
    engine.next = verdict(true, new Decision.CacheHint(30, "fingerprint"));
    decide(Inputs.key("ci", "fp1"));
    engine.next = PolicyVerdict.failure("down", 0);
    decide(Inputs.key("other", "fp1"));
    assertThat(cache.size()).isZero();
  }

  @Test
  void decisionsWithoutHintOrWithApprovalAreNotCachedButMaskingOnesAre() throws Exception {
    engine.next = verdict(true, null);
    decide(Inputs.key("ci", "fp1"));
    engine.next = new PolicyVerdict(new Decision(true, List.of(),
        List.of(new Decision.MaskRule("customers", "email", null, null, "redact")), null, null, List.of(),
        new Decision.CacheHint(30, "fingerprint"), false), "d", "r1", PolicyVerdict.Source.OPA, 1);
    decide(Inputs.key("ci", "fp2"));
    engine.next = new PolicyVerdict(new Decision(true, List.of(), List.of(),
        new Decision.Approval(true, List.of("group:dba"), 60, "x"), null, List.of(),
        new Decision.CacheHint(30, "fingerprint"), false), "d", "r1", PolicyVerdict.Source.OPA, 1);
    decide(Inputs.key("ci", "fp3"));
    assertThat(cache.size()).isEqualTo(1);
    assertThat(decide(Inputs.key("ci", "fp2")).source()).isEqualTo(PolicyVerdict.Source.CACHE);
  }
}
