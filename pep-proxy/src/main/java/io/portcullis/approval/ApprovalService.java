package io.portcullis.approval;

import static java.util.Objects.requireNonNull;

import io.portcullis.document.Identity;
import io.portcullis.document.RequestDocument;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds requests until a person approves them, for every protocol: creates, records, announces and
 * expires approval requests, and decides them for approvers.
 *
 * <p>Thread-safe. {@link #hold} and {@link #cancel} never block (call them from an event loop):
 * the store and the webhooks are written on the service's own threads, and a request is visible
 * to approvers and announced only once it is durable. {@link #approve} and {@link #deny} block
 * until the decision is durable (call them from a virtual thread, as the admin API does).
 *
 * <p>Rules: only an identity matching one of the request's approvers decides; the requester (same
 * issuer and subject) never decides their own request; a request that is no longer pending is
 * never decided again; a decision arriving at or after {@code expiresAt} is refused, and expires
 * the request, even if the expiry timer has not fired yet.
 *
 * <p>Gateways sharing one store (PostgreSQL) see each other's requests: each polls the store every
 * {@code approvals.sync_interval_ms}, and at once when asked for a request it does not know. An
 * approver may decide through any of them; the gateway holding the client learns the outcome at
 * its next poll (and polls before it expires a request). A restart cancels only the requests its
 * own gateway held.
 */
public final class ApprovalService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ApprovalService.class);

  private final ApprovalSettings settings;
  private final ApprovalStore store;
  private final ApprovalNotifier notifier;
  private final Clock clock;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final ExecutorService io;
  private final ScheduledExecutorService timers;
  /** This gateway's name among those sharing the store, or null when the store is its own. */
  private final String instance;
  private final Object syncLock = new Object();
  /** Outcomes another gateway recorded while this one was recording its own decision of them. */
  private final ConcurrentHashMap<String, ApprovalEvent.Resolved> resolvedWhileDeciding =
      new ConcurrentHashMap<>();

  /** One request and what waits on it. Fields are guarded by the entry's monitor. */
  private static final class Entry {
    ApprovalRequest request;
    // null for requests replayed at start and for those another gateway holds
    final CompletableFuture<ApprovalOutcome> outcome;
    boolean durable;
    boolean deciding; // an approve or deny is being made durable
    ScheduledFuture<?> timer;

    Entry(ApprovalRequest request, CompletableFuture<ApprovalOutcome> outcome, boolean durable) {
      this.request = request;
      this.outcome = outcome;
      this.durable = durable;
    }
  }

  private ApprovalService(ApprovalSettings settings, ApprovalStore store, ApprovalNotifier notifier,
      Clock clock) {
    this.settings = settings;
    this.store = store;
    this.notifier = notifier;
    this.clock = clock;
    this.instance = store.instance();
    this.io = Executors.newSingleThreadExecutor(
        r -> Thread.ofPlatform().daemon().name("approval-store").unstarted(r));
    this.timers = Executors.newSingleThreadScheduledExecutor(
        r -> Thread.ofPlatform().daemon().name("approval-expiry").unstarted(r));
  }

  /**
   * Starts the service: replays the store, and cancels ("gateway restarted") every request still
   * pending, whose holder did not survive the restart.
   *
   * @throws IOException when the store cannot be read or the cancellations not recorded
   */
  public static ApprovalService start(ApprovalSettings settings, ApprovalStore store,
      ApprovalNotifier notifier, Clock clock) throws IOException {
    ApprovalService service = new ApprovalService(requireNonNull(settings, "settings"),
        requireNonNull(store, "store"), requireNonNull(notifier, "notifier"),
        requireNonNull(clock, "clock"));
    try {
      service.replay();
    } catch (IOException | RuntimeException e) {
      service.io.shutdownNow();
      service.timers.shutdownNow();
      throw e;
    }
    if (service.instance != null) {
      long every = settings.syncIntervalMs();
      service.timers.scheduleWithFixedDelay(service::syncQuietly, every, every, TimeUnit.MILLISECONDS);
    }
    return service;
  }

  private void replay() throws IOException {
    int cancelled = 0;
    for (ApprovalRequest request : store.load()) {
      if (request.state() == ApprovalState.PENDING && !heldHere(request)) {
        Entry remote = new Entry(request, null, true);
        entries.put(request.id(), remote);
        scheduleExpiry(remote);
        continue;
      }
      if (request.state() == ApprovalState.PENDING) {
        var outcome = new ApprovalOutcome.Cancelled(clock.instant(), "gateway restarted");
        store.append(new ApprovalEvent.Resolved(request.id(), outcome));
        request = request.withOutcome(outcome);
        notifier.announce(request);
        cancelled++;
      }
      entries.put(request.id(), new Entry(request, null, true));
    }
    if (cancelled > 0) {
      log.info("{} approval request(s) pending before the restart cancelled: their clients are gone",
          cancelled);
    }
  }

  /** The settings in force. */
  public ApprovalSettings settings() {
    return settings;
  }

  /** How approvers reach this gateway, for notices to the requester. */
  public ApprovalLinks links() {
    return notifier.links();
  }

  /**
   * A new pending request for a document the policy wants approved, with a fresh id, created now
   * and expiring after the decision's timeout bounded by the settings. Hand it to {@link #hold}.
   *
   * @param summary the request without literal values (normalised SQL), never secrets
   * @param timeoutS the decision's {@code approval.timeout_s}, or null for the default
   * @throws IllegalArgumentException when {@code approvers} is empty or malformed
   */
  public ApprovalRequest request(RequestDocument document, String summary, List<String> reasons,
      List<String> approvers, Integer timeoutS) {
    Instant now = clock.instant();
    return ApprovalRequest.pending(ApprovalIds.next(), now,
        now.plusSeconds(settings.timeoutS(timeoutS)), document, summary, reasons, approvers)
        .heldBy(instance);
  }

  /** Whether this gateway holds (or held, before a restart) the request's client. */
  private boolean heldHere(ApprovalRequest request) {
    return request.heldBy() == null || request.heldBy().equals(instance);
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (IOException | RuntimeException e) {
      log.warn("approvals shared with other gateways not read: {}", e.getMessage());
    }
  }

  /**
   * Applies the events other gateways recorded since the last poll: their new requests become
   * visible here, and an outcome recorded elsewhere for a request this gateway holds releases or
   * refuses its client. Events seen before change nothing.
   */
  void sync() throws IOException {
    if (instance == null) {
      return;
    }
    synchronized (syncLock) {
      for (ApprovalEvent event : store.poll()) {
        switch (event) {
          case ApprovalEvent.Created c -> {
            Entry remote = new Entry(c.request(), null, true);
            if (!c.request().state().terminal() && entries.putIfAbsent(c.id(), remote) == null) {
              synchronized (remote) {
                scheduleExpiry(remote);
              }
            }
          }
          case ApprovalEvent.Resolved r -> resolvedElsewhere(r);
        }
      }
    }
  }

  private void resolvedElsewhere(ApprovalEvent.Resolved event) {
    Entry entry = entries.get(event.id());
    if (entry == null) {
      return;
    }
    ApprovalRequest ended;
    synchronized (entry) {
      if (entry.deciding) {
        // Being decided here too: if the store refuses that decision, this one stands.
        resolvedWhileDeciding.put(event.id(), event);
        return;
      }
      if (entry.request.state().terminal()) {
        return; // ours, or seen again
      }
      entry.request = entry.request.withOutcome(event.outcome());
      ended = entry.request;
      cancelTimer(entry);
    }
    log.info("approval {} {} (recorded by another gateway)", ended.id(), ended.outcome().describe());
    if (entry.outcome != null) {
      entry.outcome.complete(ended.outcome()); // the deciding gateway announced it already
    }
  }

  /**
   * Holds a pending request: records it, then makes it visible to approvers, announces it and
   * schedules its expiry. Never blocks.
   *
   * @return completes with the outcome: approved, denied, expired, or cancelled (also when the
   *     request could not be recorded); never exceptionally
   * @throws IllegalArgumentException when the request is not pending or its id is already held
   */
  public CompletableFuture<ApprovalOutcome> hold(ApprovalRequest request) {
    requireNonNull(request, "request");
    if (request.state() != ApprovalState.PENDING) {
      throw new IllegalArgumentException(
          "request " + request.id() + ": " + request.state().wireName() + " (expected: pending)");
    }
    CompletableFuture<ApprovalOutcome> outcome = new CompletableFuture<>();
    Entry entry = new Entry(request, outcome, false);
    if (entries.putIfAbsent(request.id(), entry) != null) {
      throw new IllegalArgumentException("request " + request.id() + ": already held");
    }
    try {
      io.execute(() -> record(entry));
    } catch (RejectedExecutionException e) {
      entries.remove(request.id(), entry);
      outcome.complete(new ApprovalOutcome.Cancelled(clock.instant(), "gateway shutting down"));
    }
    return outcome;
  }

  private void record(Entry entry) {
    ApprovalRequest request;
    synchronized (entry) {
      request = entry.request;
    }
    try {
      store.append(new ApprovalEvent.Created(request));
    } catch (IOException | RuntimeException e) {
      log.error("approval {} could not be recorded; the request is refused: {}", request.id(),
          e.toString());
      entries.remove(request.id(), entry);
      entry.outcome.complete(new ApprovalOutcome.Cancelled(clock.instant(),
          "the approval request could not be recorded"));
      return;
    }
    boolean pending;
    synchronized (entry) {
      entry.durable = true;
      pending = !entry.request.state().terminal();
      if (pending) {
        scheduleExpiry(entry);
      }
    }
    log.info("approval {} pending: {} on {} ({}), approvers {}, expires {}", request.id(),
        request.requester().subject(), request.target(), request.sessionId(), request.approvers(),
        request.expiresAt());
    if (pending) {
      notifier.announce(request);
    }
  }

  /** Every recorded request in {@code state} (all when null), oldest first. */
  public List<ApprovalRequest> list(ApprovalState state) {
    return entries.values().stream()
        .map(this::visible)
        .filter(r -> r != null && (state == null || r.state() == state))
        .sorted(Comparator.comparing(ApprovalRequest::createdAt).thenComparing(ApprovalRequest::id))
        .toList();
  }

  /**
   * The recorded request with this id.
   *
   * @throws ApprovalException.NotFound when there is none
   */
  public ApprovalRequest get(String id) {
    Entry entry = known(id);
    ApprovalRequest request = entry == null ? null : visible(entry);
    if (request == null) {
      throw new ApprovalException.NotFound(String.valueOf(id));
    }
    return request;
  }

  /** The entry for {@code id}, after one poll of the shared store when it is not known here yet. */
  private Entry known(String id) {
    if (id == null) {
      return null;
    }
    Entry entry = entries.get(id);
    if (entry == null && instance != null) {
      syncQuietly();
      entry = entries.get(id);
    }
    return entry;
  }

  private ApprovalRequest visible(Entry entry) {
    synchronized (entry) {
      return entry.durable ? entry.request : null;
    }
  }

  /**
   * Approves a pending request for {@code approver}; returns once the approval is durable.
   *
   * @return the request, approved
   * @throws ApprovalException NotFound, NotAllowed, NotPending, Expired, or Unavailable when the
   *     decision could not be recorded (the request stays pending)
   */
  public ApprovalRequest approve(String id, Identity approver, String comment) {
    requireNonNull(approver, "approver");
    return decide(id, approver, now -> new ApprovalOutcome.Approved(approver.subject(), now,
        comment == null || comment.isBlank() ? null : comment));
  }

  /**
   * Denies a pending request for {@code approver}; returns once the denial is durable.
   *
   * @return the request, denied
   * @throws ApprovalException as {@link #approve}
   */
  public ApprovalRequest deny(String id, Identity approver, String reason) {
    requireNonNull(approver, "approver");
    String why = reason == null || reason.isBlank() ? "no reason given" : reason;
    return decide(id, approver, now -> new ApprovalOutcome.Denied(approver.subject(), now, why));
  }

  private ApprovalRequest decide(String id, Identity approver,
      java.util.function.Function<Instant, ApprovalOutcome> decision) {
    Entry entry = known(id);
    if (entry == null) {
      throw new ApprovalException.NotFound(String.valueOf(id));
    }
    ApprovalOutcome outcome;
    synchronized (entry) {
      ApprovalRequest request = entry.request;
      if (!entry.durable) {
        throw new ApprovalException.NotFound(id);
      }
      refuseUnlessPending(entry);
      Instant now = clock.instant();
      if (!now.isBefore(request.expiresAt())) {
        expireLocked(entry);
        throw expired(request);
      }
      if (Approvers.samePerson(approver, request.requester())) {
        throw new ApprovalException.NotAllowed(
            "approval " + id + ": " + approver.subject() + " requested it and may not decide it");
      }
      if (!Approvers.matches(request.approvers(), approver)) {
        throw new ApprovalException.NotAllowed("approval " + id + ": " + approver.subject()
            + " is not an approver (expected: one of " + request.approvers() + ")");
      }
      outcome = decision.apply(now);
      entry.deciding = true;
    }
    try {
      store.append(new ApprovalEvent.Resolved(id, outcome));
    } catch (ApprovalStore.AlreadyResolved e) {
      synchronized (entry) {
        entry.deciding = false;
      }
      ApprovalEvent.Resolved first = resolvedWhileDeciding.remove(id);
      if (first != null) {
        resolvedElsewhere(first); // polled while this decision was being recorded
      } else {
        syncQuietly(); // brings the outcome the other gateway recorded
      }
      throw new ApprovalException.NotPending(e.getMessage());
    } catch (IOException | RuntimeException e) {
      log.error("approval {}: {} could not be recorded: {}", id, outcome.state().wireName(),
          e.toString());
      synchronized (entry) {
        entry.deciding = false;
        scheduleExpiry(entry);
      }
      throw new ApprovalException.Unavailable(
          "approval " + id + ": the decision could not be recorded; try again");
    }
    resolvedWhileDeciding.remove(id); // this decision was recorded first: a later one is void
    ApprovalRequest decided;
    synchronized (entry) {
      entry.deciding = false;
      entry.request = entry.request.withOutcome(outcome);
      decided = entry.request;
      cancelTimer(entry);
    }
    finish(entry, decided);
    return decided;
  }

  private void refuseUnlessPending(Entry entry) {
    ApprovalRequest request = entry.request;
    if (request.state() == ApprovalState.EXPIRED) {
      throw expired(request);
    }
    if (request.state().terminal()) {
      throw new ApprovalException.NotPending(
          "approval " + request.id() + " is not pending: " + request.outcome().describe());
    }
    if (entry.deciding) {
      throw new ApprovalException.NotPending(
          "approval " + request.id() + " is not pending: another decision is being recorded");
    }
  }

  private static ApprovalException.Expired expired(ApprovalRequest request) {
    return new ApprovalException.Expired(
        "approval " + request.id() + " expired at " + request.expiresAt());
  }

  /**
   * Cancels a pending request because its holder went away (the client disconnected). Never
   * blocks; the cancellation is recorded in the background.
   *
   * @return whether the request was pending; false when it was unknown, already ended, or a
   *     decision is being recorded (its outcome then completes with that decision)
   */
  public boolean cancel(String id, String reason) {
    Entry entry = id == null ? null : entries.get(id);
    if (entry == null) {
      return false;
    }
    ApprovalRequest cancelled;
    synchronized (entry) {
      if (entry.request.state().terminal() || entry.deciding) {
        return false;
      }
      var outcome = new ApprovalOutcome.Cancelled(clock.instant(),
          reason == null || reason.isBlank() ? "cancelled" : reason);
      entry.request = entry.request.withOutcome(outcome);
      cancelled = entry.request;
      cancelTimer(entry);
    }
    recordLater(cancelled);
    finish(entry, cancelled);
    return true;
  }

  /** Moves a pending entry to EXPIRED; the caller holds its monitor. */
  private void expireLocked(Entry entry) {
    ApprovalRequest request = entry.request;
    entry.request = request.withOutcome(new ApprovalOutcome.Expired(request.expiresAt()));
    cancelTimer(entry);
    ApprovalRequest expired = entry.request;
    if (entry.outcome == null && instance != null) {
      return; // another gateway holds it: that one records and announces the expiry
    }
    recordLater(expired);
    // Completing and announcing outside the caller's lock: the holder may react synchronously.
    try {
      timers.execute(() -> finish(entry, expired));
    } catch (RejectedExecutionException e) {
      if (entry.outcome != null) {
        entry.outcome.complete(expired.outcome()); // shutting down: no announcement
      }
    }
  }

  private void scheduleExpiry(Entry entry) {
    long delayMs = Math.max(10, Duration.between(clock.instant(), entry.request.expiresAt()).toMillis());
    try {
      entry.timer = timers.schedule(() -> expireIfDue(entry), delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // shutting down: the request is cancelled as "gateway restarted" at the next start
    }
  }

  private void expireIfDue(Entry entry) {
    if (entry.outcome != null && instance != null) {
      syncQuietly(); // an approver on another gateway may have decided just now
    }
    synchronized (entry) {
      if (entry.request.state().terminal() || entry.deciding) {
        return;
      }
      if (clock.instant().isBefore(entry.request.expiresAt())) {
        scheduleExpiry(entry); // the clock and the timer disagree; wait for the clock
        return;
      }
      expireLocked(entry);
    }
  }

  private void recordLater(ApprovalRequest ended) {
    try {
      io.execute(() -> {
        try {
          store.append(new ApprovalEvent.Resolved(ended.id(), ended.outcome()));
        } catch (IOException | RuntimeException e) {
          log.error("approval {}: {} could not be recorded: {}", ended.id(),
              ended.state().wireName(), e.toString());
        }
      });
    } catch (RejectedExecutionException e) {
      log.warn("approval {}: {} not recorded: shutting down", ended.id(), ended.state().wireName());
    }
  }

  private void finish(Entry entry, ApprovalRequest ended) {
    log.info("approval {} {}", ended.id(), ended.outcome().describe());
    if (entry.outcome != null) {
      entry.outcome.complete(ended.outcome());
    }
    notifier.announce(ended);
  }

  private static void cancelTimer(Entry entry) {
    if (entry.timer != null) {
      entry.timer.cancel(false);
      entry.timer = null;
    }
  }

  /**
   * Stops the service: holders still waiting get {@code cancelled: gateway shutting down} (not
   * recorded: the next start cancels them as restarted), then the store and notifier close.
   */
  @Override
  public void close() {
    timers.shutdownNow();
    io.shutdown();
    try {
      if (!io.awaitTermination(5, TimeUnit.SECONDS)) {
        io.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Entry entry : entries.values()) {
      if (entry.outcome != null) {
        entry.outcome.complete(new ApprovalOutcome.Cancelled(clock.instant(), "gateway shutting down"));
      }
    }
    notifier.close();
    try {
      store.close();
    } catch (IOException e) {
      log.warn("approval store did not close cleanly: {}", e.toString());
    }
  }
}
