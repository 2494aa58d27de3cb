package io.portcullis.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.document.Context;
import io.portcullis.document.Identity;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ActivityTrackerTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
  private final ActivityTracker tracker = new ActivityTracker(MonitoringSettings.defaults(), now::get);

  private static Identity who(String subject) {
    return new Identity(subject, "https://idp", List.of("readers"), null, "oidc_jwt");
  }

  @Test
  void countsRequestsWritesDenialsRowsAndBytesForTheIdentityAndItsTarget() {
    SessionActivity a = tracker.open(who("ci-1"), "orders", "10.0.0.1");
    SessionActivity b = tracker.open(who("ci-1"), "billing", "10.0.0.1");
    a.decided(false, false, List.of("public.orders"));
    a.returned(500, 4096);
    a.decided(true, false, List.of("public.orders", "public.lines"));
    b.decided(false, true, List.of("public.invoices"));
    Context.Stats stats = a.stats();
    assertThat(stats.requestsLastMinute()).isEqualTo(3);
    assertThat(stats.requestsLastHour()).isEqualTo(3);
    assertThat(stats.writesLastMinute()).isEqualTo(1);
    assertThat(stats.deniedLastMinute()).isEqualTo(1);
    assertThat(stats.rowsReturnedLastMinute()).isEqualTo(500);
    assertThat(stats.bytesReturnedLastMinute()).isEqualTo(4096);
    assertThat(stats.tablesLastMinute()).as("denied requests touch no table").isEqualTo(2);
    assertThat(stats.target().requestsLastMinute()).isEqualTo(2);
    assertThat(stats.target().deniedLastMinute()).isZero();
    assertThat(b.stats().target().deniedLastMinute()).isEqualTo(1);
    assertThat(tracker.open(who("other"), "orders", "10.0.0.1").stats().requestsLastMinute()).isZero();
  }

  @Test
  void theMinuteSlidesOutBeforeTheHourDoes() {
    SessionActivity a = tracker.open(who("ci-1"), "orders", "10.0.0.1");
    a.decided(false, false, List.of("t"));
    a.returned(10, 100);
    now.addAndGet(30_000);
    a.decided(false, false, List.of());
    assertThat(a.stats().requestsLastMinute()).isEqualTo(2);
    now.addAndGet(35_000);
    Context.Stats later = a.stats();
    assertThat(later.requestsLastMinute()).as("the first is over a minute old").isEqualTo(1);
    assertThat(later.rowsReturnedLastMinute()).isZero();
    assertThat(later.tablesLastMinute()).isZero();
    assertThat(later.requestsLastHour()).isEqualTo(2);
    assertThat(later.tablesLastHour()).isEqualTo(1);
    now.addAndGet(3_600_000);
    assertThat(a.stats().requestsLastHour()).isZero();
    assertThat(a.stats().tablesLastHour()).isZero();
  }

  @Test
  void aSourceIsNewOnlyTheFirstTimeAndTheSameSubjectFromAnotherIssuerIsAnotherIdentity() {
    assertThat(tracker.open(who("ci-1"), "orders", "10.0.0.1").newSource()).isTrue();
    now.addAndGet(1000);
    SessionActivity again = tracker.open(who("ci-1"), "orders", "10.0.0.1");
    assertThat(again.newSource()).isFalse();
    SessionActivity elsewhere = tracker.open(who("ci-1"), "orders", "10.0.0.2");
    assertThat(elsewhere.newSource()).isTrue();
    assertThat(elsewhere.stats().newSource()).isTrue();
    assertThat(elsewhere.stats().sources()).extracting(Context.SourceSeen::ip).containsExactly("10.0.0.1", "10.0.0.2");
    Identity otherIssuer = new Identity("ci-1", "https://other-idp", List.of(), null, "oidc_jwt");
    assertThat(tracker.open(otherIssuer, "orders", "10.0.0.1").newSource()).isTrue();
  }

  @Test
  void sourcesPerIdentityAreCappedLeastRecentlySeenFirst() {
    ActivityTracker small = new ActivityTracker(new MonitoringSettings(null, null, 2, null, null), now::get);
    small.open(who("a"), "t", "10.0.0.1");
    now.addAndGet(1000);
    small.open(who("a"), "t", "10.0.0.2");
    now.addAndGet(1000);
    small.open(who("a"), "t", "10.0.0.1");
    now.addAndGet(1000);
    SessionActivity third = small.open(who("a"), "t", "10.0.0.3");
    assertThat(third.stats().sources()).extracting(Context.SourceSeen::ip).containsExactly("10.0.0.1", "10.0.0.3");
    assertThat(small.open(who("a"), "t", "10.0.0.2").newSource()).as("forgotten").isTrue();
  }

  @Test
  void idleIdentitiesAreDroppedButNotWhileASessionIsOpen() {
    SessionActivity open = tracker.open(who("stays"), "t", "10.0.0.1");
    tracker.open(who("goes"), "t", "10.0.0.1").close();
    now.addAndGet(86_400_000L + 120_000);
    tracker.open(who("new"), "t", "10.0.0.1");
    assertThat(tracker.size()).isEqualTo(2);
    open.decided(false, false, List.of());
    assertThat(open.stats().requestsLastMinute()).isEqualTo(1);
    assertThat(tracker.open(who("goes"), "t", "10.0.0.1").newSource()).as("forgotten with its sources").isTrue();
  }

  @Test
  void overTheCapTheLeastRecentlyActiveIdentitiesWithoutSessionsGo() {
    ActivityTracker capped = new ActivityTracker(new MonitoringSettings(10, null, null, null, null), now::get);
    SessionActivity kept = capped.open(who("oldest-but-open"), "t", "10.0.0.1");
    for (int i = 0; i < 20; i++) {
      now.addAndGet(1000);
      capped.open(who("id-" + i), "t", "10.0.0.1").close();
    }
    assertThat(capped.size()).isLessThanOrEqualTo(10);
    kept.decided(false, false, List.of());
    assertThat(capped.open(who("oldest-but-open"), "t", "10.0.0.1").newSource()).isFalse();
    assertThat(capped.open(who("id-19"), "t", "10.0.0.1").newSource()).as("the most recent stays").isFalse();
  }

  @Test
  void countsFromManyThreadsAddUp() throws Exception {
    SessionActivity a = tracker.open(who("busy"), "t", "10.0.0.1");
    int threads = 4;
    int each = 10_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      started.add(Thread.ofPlatform().start(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          a.decided(false, false, List.of());
          a.returned(2, 10);
          if (i % 1000 == 0) {
            now.addAndGet(1); // Moves the clock under the counters now and then.
          }
        }
      }));
    }
    go.countDown();
    for (Thread t : started) {
      t.join();
    }
    assertThat(a.stats().requestsLastMinute()).isEqualTo((long) threads * each);
    assertThat(a.stats().rowsReturnedLastMinute()).isEqualTo(2L * threads * each);
  }

  @Test
  void otherGatewaysCountsAddUpAndAgeOutWithTheirWindows() {
    SessionActivity a = tracker.open(who("ci-1"), "orders", "10.0.0.1");
    a.decided(false, true, List.of());
    a.decided(false, false, List.of("public.orders"));
    IdentityActivity identity = tracker.identity(ActivityTracker.key(who("ci-1")));
    long minuteStep = now.get() / ActivityScope.MINUTE_STEP_MS;
    long hourStep = now.get() / ActivityScope.HOUR_STEP_MS;
    long[] four = new long[BucketRing.FIELDS];
    four[BucketRing.REQUESTS] = 4;
    four[BucketRing.DENIED] = 3;
    identity.all.peers(new PeerCounts(List.of(new PeerCounts.Bucket(minuteStep - 2, four)),
        List.of(new PeerCounts.Bucket(hourStep, four)),
        java.util.Map.of("public.orders", now.get() - 1_000, "public.lines", now.get() - 1_000)));
    Context.Stats stats = a.stats();
    assertThat(stats.requestsLastMinute()).isEqualTo(6);
    assertThat(stats.deniedLastMinute()).isEqualTo(4);
    assertThat(stats.requestsLastHour()).isEqualTo(6);
    assertThat(stats.tablesLastMinute()).as("a table both saw counts once").isEqualTo(2);
    assertThat(stats.target().requestsLastMinute()).as("the target's own peers are apart").isEqualTo(2);
    now.addAndGet(55_000);
    assertThat(a.stats().requestsLastMinute()).as("the other gateway's bucket slid out").isEqualTo(2);
    assertThat(a.stats().requestsLastHour()).isEqualTo(6);
  }

  @Test
  void anIdentityNewHereKnowsTheSourcesOtherGatewaysSawItUse() {
    java.time.Instant seen = java.time.Instant.ofEpochMilli(now.get() - 60_000);
    tracker.peerSources(key -> key.equals(ActivityTracker.key(who("agent-1")))
        ? List.of(new Context.SourceSeen("10.0.0.9", seen, seen)) : List.of());
    assertThat(tracker.open(who("agent-1"), "orders", "10.0.0.9").newSource()).isFalse();
    assertThat(tracker.open(who("agent-1"), "orders", "10.0.0.10").newSource()).isTrue();
    assertThat(tracker.open(who("agent-2"), "orders", "10.0.0.9").newSource()).isTrue();
  }
}
