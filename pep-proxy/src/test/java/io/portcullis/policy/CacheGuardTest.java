package io.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.document.Context;
import io.portcullis.document.RequestDocument;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code cache.stats_below} and {@code terminate}: how decisions that watch activity are read and reused. */
class CacheGuardTest {

  private static Context.Stats stats(long requests, boolean newSource) {
    Context.Counts c = new Context.Counts(requests, 0, requests, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    return Context.Stats.of(c, c, newSource, List.of());
  }

  private static RequestDocument withStats(Context.Stats stats) {
    RequestDocument d = Inputs.select();
    return new RequestDocument(d.version(), d.session(), d.identity(), d.request(), d.context().withStats(stats));
  }

  @Test
  void aGuardedDecisionIsReusedOnlyWhileEveryCounterIsBelowItsBound() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Decision.CacheHint hint = new Decision.CacheHint(30, "fingerprint",
        Map.of("requests_last_minute", 10L, "new_source", 1L));
    PolicyClient engine = new PolicyClient() {
      @Override
      public CompletableFuture<PolicyVerdict> decide(RequestDocument input, CacheKey key) {
        calls.incrementAndGet();
        return CompletableFuture.completedFuture(new PolicyVerdict(new Decision(true, List.of(), List.of(), null,
            null, List.of(), hint, false), "d", "r1", PolicyVerdict.Source.OPA, 1));
      }

      @Override
      public boolean healthy() {
        return true;
      }

      @Override
      public String revision() {
        return "r1";
      }

      @Override
      public void close() {}
    };
    CachingPolicyClient cache = new CachingPolicyClient(engine, 300, 100, () -> 0L);
    CacheKey key = Inputs.key("ci", "fp1");
    cache.decide(withStats(stats(1, false)), key).get(1, TimeUnit.SECONDS);
    assertThat(cache.decide(withStats(stats(9, false)), key).get(1, TimeUnit.SECONDS).source())
        .isEqualTo(PolicyVerdict.Source.CACHE);
    assertThat(cache.decide(withStats(stats(10, false)), key).get(1, TimeUnit.SECONDS).source())
        .isEqualTo(PolicyVerdict.Source.OPA);
    assertThat(cache.decide(withStats(stats(1, true)), key).get(1, TimeUnit.SECONDS).source())
        .as("a new source address is never served from the cache").isEqualTo(PolicyVerdict.Source.OPA);
    assertThat(calls).hasValue(3);
    assertThat(hint.admits(null)).as("no stats count as zero").isTrue();
  }

  private static DecisionParser.Answer parse(String result) throws DecisionParser.BadAnswer {
    return DecisionParser.parse(("{\"result\": " + result + "}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void terminateAndStatsBelowAreReadStrictly() throws Exception {
    Decision d = parse("{\"allow\": false, \"terminate\": true, \"cache\": {\"ttl_s\": 5, \"scope\": \"exact\","
        + " \"stats_below\": {\"denied_last_minute\": 3}}}").decision();
    assertThat(d.terminates()).isTrue();
    assertThat(d.cache().statsBelow()).isEqualTo(Map.of("denied_last_minute", 3L));
    assertThat(parse("{\"allow\": true}").decision().terminates()).isFalse();
    assertThatThrownBy(() -> parse("{\"allow\": true, \"terminate\": \"yes\"}"))
        .hasMessage("OPA returned a malformed decision: terminate is STRING (expected: boolean)");
    assertThatThrownBy(() -> parse("{\"allow\": true, \"cache\": {\"ttl_s\": 5, \"scope\": \"exact\","
        + " \"stats_below\": {\"rows_last_week\": 3}}}"))
        .hasMessageStartingWith("OPA returned a malformed decision: cache.stats_below names rows_last_week");
  }

  @Test
  void everyCounterCanBeReadByItsJsonName() {
    Context.Counts c = new Context.Counts(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    Context.Stats s = Context.Stats.of(c, Context.Counts.NONE, true, List.of());
    long sum = 0;
    for (String name : Context.Stats.COUNTERS) {
      sum += s.counter(name);
    }
    assertThat(sum).isEqualTo(78 + 1);
    assertThatThrownBy(() -> s.counter("nope")).hasMessageStartingWith("stats counter: nope (expected: one of");
  }

  @Test
  void aDecisionMadeAtAnAlertIsReusedOnlyWhileTheCountStaysInItsRange() {
    Decision.CacheHint hint = new Decision.CacheHint(30, "fingerprint",
        Map.of("denied_last_minute", 10L), Map.of("denied_last_minute", 5L));
    assertThat(hint.admits(denied(4))).isFalse();
    assertThat(hint.admits(denied(5))).isTrue();
    assertThat(hint.admits(denied(9))).isTrue();
    assertThat(hint.admits(denied(10))).isFalse();
  }

  private static Context.Stats denied(long n) {
    Context.Counts c = new Context.Counts(n, 0, n, 0, 0, 0, n, n, 0, 0, 0, 0);
    return Context.Stats.of(c, c, false, List.of());
  }
}
