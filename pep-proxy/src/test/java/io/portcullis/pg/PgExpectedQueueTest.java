package io.portcullis.pg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PgExpectedQueueTest {

  @Test
  void anErrorDropsEverythingUpToTheNextSyncButNotTheSync() {
    PgExpectedQueue q = new PgExpectedQueue();
    q.add(new PgExpected.Describe(true, true));
    q.add(new PgExpected.ExecuteResults(PgMaskRules.NONE, null));
    PgExpected.SyncPoint sync = new PgExpected.SyncPoint();
    q.add(sync);
    q.add(new PgExpected.ExecuteResults(PgMaskRules.NONE, null));
    q.popUntilSync(false);
    assertThat(q.peek()).isSameAs(sync);
    q.popUntilSync(true);
    assertThat(q.peek()).isInstanceOf(PgExpected.ExecuteResults.class);
    assertThat(q.size()).isEqualTo(1);
  }

  @Test
  void readyForQueryEndsASimpleQueryToo() {
    PgExpectedQueue q = new PgExpectedQueue();
    q.add(new PgExpected.QueryResults(PgMaskRules.NONE, null));
    q.add(new PgExpected.SyncPoint());
    q.popUntilSync(true);
    assertThat(q.peek()).isInstanceOf(PgExpected.SyncPoint.class);
    q.popUntilSync(true);
    assertThat(q.size()).isZero();
  }
}
