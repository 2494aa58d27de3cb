package io.portcullis.approval;

import static io.portcullis.approval.Approvals.document;
import static io.portcullis.approval.Approvals.who;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.document.Identity;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ApprovalServiceTest {

  private static final Identity ALICE = who("alice", "dev", "dba");
  private static final Identity BOB = who("bob", "dba");
  private static final Identity CAROL = who("carol", "ops");
  private static final Identity DAVE = who("dave", "dev");
  private static final List<String> APPROVERS = List.of("group:dba", "user:carol");

  private final Approvals.MutableClock clock =
      new Approvals.MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final List<ApprovalService> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(ApprovalService::close);
  }

  private ApprovalService service(ApprovalStore store, Clock clock) throws IOException {
    ApprovalService service =
        ApprovalService.start(ApprovalSettings.defaults(), store, ApprovalNotifier.none(), clock);
    started.add(service);
    return service;
  }

  private ApprovalService service() throws IOException {
    return service(new MemoryStore(), clock);
  }

  /** Holds a request by alice and waits until approvers can see it. */
  static Held hold(ApprovalService service, Identity requester) {
    ApprovalRequest request = service.request(document(requester, "DELETE FROM users WHERE id = $1"),
        "DELETE FROM users WHERE id = $1", List.of("writes need a second person"), APPROVERS, null);
    CompletableFuture<ApprovalOutcome> outcome = service.hold(request);
    awaitVisible(service, request.id());
    return new Held(request.id(), outcome);
  }

  record Held(String id, CompletableFuture<ApprovalOutcome> outcome) {
    ApprovalOutcome await() throws Exception {
      return outcome.get(10, TimeUnit.SECONDS);
    }
  }

  static void awaitVisible(ApprovalService service, String id) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (service.list(null).stream().noneMatch(r -> r.id().equals(id))) {
      assertThat(System.nanoTime()).as("request %s visible in time", id).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void aGroupMemberApprovesAndTheHolderLearnsWhoAndWhen() throws Exception {
    ApprovalService service = service();
    Held held = hold(service, ALICE);

    ApprovalRequest approved = service.approve(held.id(), BOB, "looks fine");

    assertThat(approved.state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(held.await()).isEqualTo(
        new ApprovalOutcome.Approved("bob", clock.instant(), "looks fine"));
    assertThat(service.get(held.id()).state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(service.list(ApprovalState.PENDING)).isEmpty();
    assertThat(service.list(ApprovalState.APPROVED)).extracting(ApprovalRequest::id)
        .containsExactly(held.id());
  }

  @Test
  void aNamedUserDeniesWithAReason() throws Exception {
    ApprovalService service = service();
    Held held = hold(service, ALICE);

    service.deny(held.id(), CAROL, "not during the freeze");

    assertThat(held.await()).isEqualTo(
        new ApprovalOutcome.Denied("carol", clock.instant(), "not during the freeze"));
  }

  @Test
  void someoneMatchingNoApproverIsRefused() throws Exception {
    ApprovalService service = service();
    Held held = hold(service, ALICE);

    assertThatThrownBy(() -> service.approve(held.id(), DAVE, null))
        .isInstanceOf(ApprovalException.NotAllowed.class)
        .hasMessage("approval " + held.id()
            + ": dave is not an approver (expected: one of [group:dba, user:carol])");
    assertThat(service.get(held.id()).state()).isEqualTo(ApprovalState.PENDING);
    assertThat(held.outcome()).isNotDone();
  }

  @Test
  void theRequesterMayNeverDecideTheirOwnRequestEvenAsAnApprover() throws Exception {
    ApprovalService service = service();
    Held held = hold(service, ALICE); // alice is in dba

    assertThatThrownBy(() -> service.approve(held.id(), ALICE, null))
        .isInstanceOf(ApprovalException.NotAllowed.class)
        .hasMessageContaining("alice requested it and may not decide it");
    assertThatThrownBy(() -> service.deny(held.id(), ALICE, "changed my mind"))
        .isInstanceOf(ApprovalException.NotAllowed.class);
    assertThat(held.outcome()).isNotDone();
  }

  @Test
  void anApprovalAfterExpiryIsRefusedEvenBeforeTheTimerFires() throws Exception {
    ApprovalService service = service();
    Held held = hold(service, ALICE);
    Instant expiresAt = service.get(held.id()).expiresAt();
    assertThat(expiresAt).isEqualTo(clock.instant().plusSeconds(900));

    clock.advance(Duration.ofSeconds(900));

    assertThatThrownBy(() -> service.approve(held.id(), BOB, null))
        .isInstanceOf(ApprovalException.Expired.class)
        .hasMessage("approval " + held.id() + " expired at " + expiresAt);
    assertThat(held.await()).isEqualTo(new ApprovalOutcome.Expired(expiresAt));
    assertThat(service.get(held.id()).state()).isEqualTo(ApprovalState.EXPIRED);
    assertThatThrownBy(() -> service.deny(held.id(), BOB, "late"))
        .isInstanceOf(ApprovalException.Expired.class);
  }

  @Test
  void theExpiryTimerEndsAnUndecidedHold() throws Exception {
    ApprovalService service = service(new MemoryStore(), Clock.systemUTC());
    Instant now = Instant.now();
    ApprovalRequest request = ApprovalRequest.pending(ApprovalIds.next(), now,
        now.plusMillis(200), document(ALICE, "DROP TABLE t"), "DROP TABLE t", List.of(), APPROVERS);

    ApprovalOutcome outcome = service.hold(request).get(10, TimeUnit.SECONDS);

    assertThat(outcome).isEqualTo(new ApprovalOutcome.Expired(request.expiresAt()));
    assertThat(service.get(request.id()).state()).isEqualTo(ApprovalState.EXPIRED);
  }

  @Test
  void terminalStatesNeverChange() throws Exception {
    ApprovalService service = service();
    Held held = hold(service, ALICE);
    service.approve(held.id(), BOB, null);

    assertThatThrownBy(() -> service.deny(held.id(), CAROL, "no"))
        .isInstanceOf(ApprovalException.NotPending.class)
        .hasMessage("approval " + held.id() + " is not pending: approved by bob");
    assertThatThrownBy(() -> service.approve(held.id(), CAROL, null))
        .isInstanceOf(ApprovalException.NotPending.class);
    assertThat(service.cancel(held.id(), "client disconnected")).isFalse();
    clock.advance(Duration.ofHours(2));
    assertThat(service.get(held.id()).state()).isEqualTo(ApprovalState.APPROVED);
  }

  @Test
  void concurrentApproveAndDenyHaveExactlyOneWinner() throws Exception {
    for (int round = 0; round < 20; round++) {
      ApprovalService service = service();
      Held held = hold(service, ALICE);
      int threads = 8;
      CountDownLatch go = new CountDownLatch(1);
      AtomicInteger wins = new AtomicInteger();
      ConcurrentLinkedQueue<Throwable> losses = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> tasks = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        boolean approve = i % 2 == 0;
        tasks.add(pool.submit(() -> {
          go.await();
          try {
            if (approve) {
              service.approve(held.id(), BOB, null);
            } else {
              service.deny(held.id(), CAROL, "no");
            }
            wins.incrementAndGet();
          } catch (ApprovalException e) {
            losses.add(e);
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> task : tasks) {
        task.get(10, TimeUnit.SECONDS);
      }
      pool.shutdown();

      assertThat(wins).hasValue(1);
      assertThat(losses).hasSize(threads - 1).allMatch(ApprovalException.NotPending.class::isInstance);
      ApprovalOutcome outcome = held.await();
      assertThat(service.get(held.id()).outcome()).isEqualTo(outcome);
    }
  }

  @Test
  void cancelEndsTheHoldAndLaterDecisionsAreRefused() throws Exception {
    ApprovalService service = service();
    Held held = hold(service, ALICE);

    assertThat(service.cancel(held.id(), "client disconnected")).isTrue();

    assertThat(held.await()).isEqualTo(
        new ApprovalOutcome.Cancelled(clock.instant(), "client disconnected"));
    assertThatThrownBy(() -> service.approve(held.id(), BOB, null))
        .isInstanceOf(ApprovalException.NotPending.class)
        .hasMessageEndingWith("is not pending: cancelled: client disconnected");
    assertThat(service.cancel("apr_unknownunknownunkn", "x")).isFalse();
  }

  @Test
  void aRequestIsVisibleToApproversOnlyOnceItIsDurable() throws Exception {
    MemoryStore store = new MemoryStore();
    store.gate = new CountDownLatch(1);
    ApprovalService service = service(store, clock);
    ApprovalRequest request = service.request(document(ALICE, "DROP TABLE t"), "DROP TABLE t",
        List.of(), APPROVERS, 60);

    CompletableFuture<ApprovalOutcome> outcome = service.hold(request); // does not block

    assertThat(service.list(null)).isEmpty();
    assertThatThrownBy(() -> service.approve(request.id(), BOB, null))
        .isInstanceOf(ApprovalException.NotFound.class)
        .hasMessage("approval " + request.id() + " not found");
    store.gate.countDown();
    awaitVisible(service, request.id());
    assertThat(store.events).first().isEqualTo(new ApprovalEvent.Created(request));
    service.approve(request.id(), BOB, null);
    assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(ApprovalOutcome.Approved.class);
  }

  @Test
  void aRequestThatCannotBeRecordedIsCancelledNeverShown() throws Exception {
    MemoryStore store = new MemoryStore();
    store.failCreated = true;
    ApprovalService service = service(store, clock);
    ApprovalRequest request = service.request(document(ALICE, "DROP TABLE t"), "DROP TABLE t",
        List.of(), APPROVERS, 60);

    ApprovalOutcome outcome = service.hold(request).get(10, TimeUnit.SECONDS);

    assertThat(outcome).isEqualTo(new ApprovalOutcome.Cancelled(clock.instant(),
        "the approval request could not be recorded"));
    assertThatThrownBy(() -> service.get(request.id())).isInstanceOf(ApprovalException.NotFound.class);
  }

  @Test
  void aDecisionThatCannotBeRecordedIsNotTaken() throws Exception {
    MemoryStore store = new MemoryStore();
    ApprovalService service = service(store, clock);
    Held held = hold(service, ALICE);
    store.failResolved = true;

    assertThatThrownBy(() -> service.approve(held.id(), BOB, null))
        .isInstanceOf(ApprovalException.Unavailable.class);
    assertThat(service.get(held.id()).state()).isEqualTo(ApprovalState.PENDING);
    store.failResolved = false;
    service.approve(held.id(), BOB, null);
    assertThat(held.await()).isInstanceOf(ApprovalOutcome.Approved.class);
  }

  @Test
  void timeoutsDefaultAndAreBoundedByTheMaximum() throws Exception {
    ApprovalService service = ApprovalService.start(new ApprovalSettings(60, 120, null, null),
        new MemoryStore(), ApprovalNotifier.none(), clock);
    started.add(service);
    Instant now = clock.instant();

    assertThat(service.request(document(ALICE, "x"), "x", List.of(), APPROVERS, null).expiresAt())
        .isEqualTo(now.plusSeconds(60));
    assertThat(service.request(document(ALICE, "x"), "x", List.of(), APPROVERS, 90).expiresAt())
        .isEqualTo(now.plusSeconds(90));
    assertThat(service.request(document(ALICE, "x"), "x", List.of(), APPROVERS, 99_999).expiresAt())
        .isEqualTo(now.plusSeconds(120));
  }

  @Test
  void requestsNeedWellFormedApproversAndCarryTheirDocument() throws Exception {
    ApprovalService service = service();
    assertThatThrownBy(() -> service.request(document(ALICE, "x"), "x", List.of(), List.of(), null))
        .hasMessage("approvers: empty (expected: at least one group:NAME or user:SUBJECT)");
    assertThatThrownBy(() -> service.request(document(ALICE, "x"), "x", List.of(),
        List.of("dba"), null)).hasMessage("approvers: dba (expected: group:NAME or user:SUBJECT)");

    ApprovalRequest request = service.request(document(ALICE, "DELETE FROM t WHERE id = 7"),
        "DELETE FROM t WHERE id = $1", List.of("why"), APPROVERS, null);
    assertThat(request.id()).matches("apr_[a-z2-7]{20}");
    assertThat(request.sessionId()).isEqualTo("ses_test1");
    assertThat(request.target()).isEqualTo("orders-db");
    assertThat(request.requestDocument().at("/request/sql").asText())
        .isEqualTo("DELETE FROM t WHERE id = 7");
    assertThatThrownBy(() -> service.get("apr_nothere")).isInstanceOf(ApprovalException.NotFound.class);
  }

  /** An in-memory store that can hold back or fail appends. */
  static final class MemoryStore implements ApprovalStore {
    final List<ApprovalEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile CountDownLatch gate;
    volatile boolean failCreated;
    volatile boolean failResolved;

    @Override
    public Collection<ApprovalRequest> load() {
      return List.of();
    }

    @Override
    public void append(ApprovalEvent event) throws IOException {
      CountDownLatch g = gate;
      if (g != null) {
        try {
          g.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
      if (event instanceof ApprovalEvent.Created ? failCreated : failResolved) {
        throw new IOException("disk full");
      }
      events.add(event);
    }

    @Override
    public void close() {}
  }
}
