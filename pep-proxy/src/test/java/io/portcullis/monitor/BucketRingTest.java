package io.portcullis.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BucketRingTest {

  private static long[] sum(BucketRing ring, long now) {
    long[] out = new long[BucketRing.FIELDS];
    ring.sum(now, out);
    return out;
  }

  @Test
  void sumsTheStepsOfTheWindowAndDropsOlderOnes() {
    BucketRing ring = new BucketRing(5_000, 12);
    ring.add(0, BucketRing.REQUESTS, 1);
    ring.add(4_999, BucketRing.REQUESTS, 1);
    ring.add(5_000, BucketRing.ROWS, 7);
    assertThat(sum(ring, 5_000)[BucketRing.REQUESTS]).isEqualTo(2);
    assertThat(sum(ring, 59_999)[BucketRing.REQUESTS]).isEqualTo(2);
    assertThat(sum(ring, 60_000)[BucketRing.REQUESTS]).as("step 0 left the window").isZero();
    assertThat(sum(ring, 60_000)[BucketRing.ROWS]).isEqualTo(7);
    assertThat(ring.active(60_000)).isTrue();
    assertThat(ring.active(65_000)).isFalse();
  }

  @Test
  void aSlotIsReusedForItsNextStep() {
    BucketRing ring = new BucketRing(1_000, 3);
    ring.add(0, BucketRing.DENIED, 5);
    ring.add(3_000, BucketRing.DENIED, 1); // The same slot, three steps later.
    assertThat(sum(ring, 3_000)[BucketRing.DENIED]).isEqualTo(1);
    ring.add(2_000, BucketRing.DENIED, 2); // Late, into the bucket of its own step.
    assertThat(sum(ring, 3_000)[BucketRing.DENIED]).isEqualTo(3);
  }

  @Test
  void refusesAnEmptyWindow() {
    assertThatThrownBy(() -> new BucketRing(0, 1)).hasMessage("stepMillis: 0, steps: 1 (expected: both > 0)");
  }
}
