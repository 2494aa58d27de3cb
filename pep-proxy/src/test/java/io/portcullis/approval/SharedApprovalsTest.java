package io.portcullis.approval;

import static io.portcullis.approval.Approvals.document;
import static io.portcullis.approval.Approvals.who;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.document.Identity;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two gateways sharing one approval store, as they share the PostgreSQL one. */
@Timeout(30)
class SharedApprovalsTest {

  private static final Identity ALICE = who("alice", "dev");
  private static final Identity BOB = who("bob", "dba");
  private static final List<String> APPROVERS = List.of("group:dba");

  private final List<ApprovalEvent> log = new CopyOnWriteArrayList<>();
  private final List<ApprovalService> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(ApprovalService::close);
  }

  private final java.util.Map<String, View> views = new java.util.concurrent.ConcurrentHashMap<>();

  private ApprovalService gateway(String name, int syncMs) throws IOException {
    View view = new View(name);
    views.put(name, view);
    ApprovalService service = ApprovalService.start(new ApprovalSettings(60, 120, null, null, syncMs),
        view, ApprovalNotifier.none(), Clock.systemUTC());
    started.add(service);
    return service;
  }

  private static ApprovalRequest request(ApprovalService service) {
    return service.request(document(ALICE, "DELETE FROM users WHERE id = $1"),
        "DELETE FROM users WHERE id = $1", List.of("writes need a second person"), APPROVERS, null);
  }

  @Test
  void aRequestHeldOnOneGatewayIsDecidedThroughTheOther() throws Exception {
    ApprovalService a = gateway("gw-a", 60_000); // polls only when asked: the test drives it
    ApprovalService b = gateway("gw-b", 60_000);
    ApprovalRequest held = request(a);
    CompletableFuture<ApprovalOutcome> outcome = a.hold(held);
    ApprovalServiceTest.awaitVisible(a, held.id());

    // b has not polled yet; asking it for the id polls once.
    assertThat(b.get(held.id()).heldBy()).isEqualTo("gw-a");
    assertThat(b.list(ApprovalState.PENDING)).extracting(ApprovalRequest::id).containsExactly(held.id());
    b.approve(held.id(), BOB, "ok");
    assertThat(outcome).isNotDone();

    a.sync();
    assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(ApprovalOutcome.Approved.class);
    assertThat(a.get(held.id()).state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(log.stream().filter(e -> e instanceof ApprovalEvent.Resolved).count()).isEqualTo(1);
  }

  @Test
  void theHolderLearnsTheOutcomeWithinItsSyncInterval() throws Exception {
    ApprovalService a = gateway("gw-a", 50);
    ApprovalService b = gateway("gw-b", 50);
    ApprovalRequest held = request(a);
    CompletableFuture<ApprovalOutcome> outcome = a.hold(held);
    ApprovalServiceTest.awaitVisible(a, held.id());
    b.deny(held.id(), BOB, "not today");
    assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(ApprovalOutcome.Denied.class,
        d -> assertThat(d.reason()).isEqualTo("not today"));
  }

  @Test
  void aSecondOutcomeIsRefusedAndTheFirstStands() throws Exception {
    ApprovalService a = gateway("gw-a", 60_000);
    ApprovalService b = gateway("gw-b", 60_000);
    ApprovalRequest held = request(a);
    CompletableFuture<ApprovalOutcome> outcome = a.hold(held);
    ApprovalServiceTest.awaitVisible(a, held.id());
    b.get(held.id());
    // a's approver and b's decide at once: b records first, a's record is refused.
    b.deny(held.id(), BOB, "no");
    assertThatThrownBy(() -> a.approve(held.id(), who("carol", "dba"), "yes"))
        .isInstanceOf(ApprovalException.NotPending.class)
        .hasMessageContaining("decided on another gateway first");
    assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(ApprovalOutcome.Denied.class);
  }

  @Test
  void anOutcomePolledWhileTheHolderRecordsItsOwnDecisionStands() throws Exception {
    ApprovalService a = gateway("gw-a", 60_000);
    ApprovalService b = gateway("gw-b", 60_000);
    ApprovalRequest held = request(a);
    CompletableFuture<ApprovalOutcome> outcome = a.hold(held);
    ApprovalServiceTest.awaitVisible(a, held.id());
    b.get(held.id());
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    views.get("gw-a").gate = gate;
    CompletableFuture<Throwable> approving = CompletableFuture.supplyAsync(() -> {
      try {
        a.approve(held.id(), who("carol", "dba"), "yes");
        return null;
      } catch (RuntimeException e) {
        return e;
      }
    });
    views.get("gw-a").waiting.await(10, TimeUnit.SECONDS); // a's decision is on its way to the store
    b.deny(held.id(), BOB, "no");
    a.sync(); // a polls b's denial while its own approval is being recorded
    gate.countDown();
    assertThat(approving.get(10, TimeUnit.SECONDS)).isInstanceOf(ApprovalException.NotPending.class);
    assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(ApprovalOutcome.Denied.class);
    assertThat(a.get(held.id()).state()).isEqualTo(ApprovalState.DENIED);
  }

  @Test
  void aRestartCancelsOnlyTheRequestsItsOwnGatewayHeld() throws Exception {
    ApprovalService a = gateway("gw-a", 60_000);
    ApprovalService b = gateway("gw-b", 60_000);
    ApprovalRequest onA = request(a);
    CompletableFuture<ApprovalOutcome> aOutcome = a.hold(onA);
    ApprovalRequest onB = request(b);
    b.hold(onB);
    ApprovalServiceTest.awaitVisible(a, onA.id());
    ApprovalServiceTest.awaitVisible(b, onB.id());
    b.close();

    ApprovalService b2 = gateway("gw-b", 60_000);
    assertThat(b2.get(onB.id()).state()).isEqualTo(ApprovalState.CANCELLED);
    assertThat(b2.get(onA.id()).state()).isEqualTo(ApprovalState.PENDING);
    a.sync();
    assertThat(aOutcome).isNotDone();
    b2.approve(onA.id(), BOB, null);
    a.sync();
    assertThat(aOutcome.get(5, TimeUnit.SECONDS)).isInstanceOf(ApprovalOutcome.Approved.class);
  }

  /** One gateway's view of the shared log: its own read position, one outcome per request. */
  private final class View implements ApprovalStore {
    private final String name;
    private int read;
    /** When set, an outcome's append waits for it (after counting down {@link #waiting}). */
    volatile java.util.concurrent.CountDownLatch gate;
    final java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);

    View(String name) {
      this.name = name;
    }

    @Override
    public String instance() {
      return name;
    }

    @Override
    public synchronized Collection<ApprovalRequest> load() {
      ApprovalHistory history = new ApprovalHistory();
      List<ApprovalEvent> now = List.copyOf(log);
      now.forEach(e -> history.apply(e, name));
      read = now.size();
      return history.requests();
    }

    @Override
    public synchronized List<ApprovalEvent> poll() {
      List<ApprovalEvent> now = List.copyOf(log);
      List<ApprovalEvent> fresh = now.subList(read, now.size());
      read = now.size();
      return fresh;
    }

    @Override
    public void append(ApprovalEvent event) throws IOException {
      java.util.concurrent.CountDownLatch g = gate;
      if (g != null && event instanceof ApprovalEvent.Resolved) {
        waiting.countDown();
        try {
          g.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
      synchronized (log) {
        if (event instanceof ApprovalEvent.Resolved r && log.stream()
            .anyMatch(e -> e instanceof ApprovalEvent.Resolved o && o.id().equals(r.id()))) {
          throw new AlreadyResolved(r.id());
        }
        log.add(event);
      }
    }

    @Override
    public void close() {}
  }
}
