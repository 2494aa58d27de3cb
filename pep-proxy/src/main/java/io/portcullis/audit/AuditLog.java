package io.portcullis.audit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hash-chained log: one writer thread seals queued events in order, writes everything queued
 * since its last write as one batch (group commit: one fsync or one transaction for all of it),
 * adds signed checkpoints, and only then completes each event's future.
 *
 * <p>A batch holding only records nothing waits for (what came back for a request, a session's
 * end: the action they describe has already happened) is written without an fsync (or, to
 * PostgreSQL, a transaction) of its own; the next batch's, or one after about
 * {@value #DEFERRED_SYNC_MS} ms, covers it. Otherwise a client's next statement would wait for
 * two, its predecessor's response record's and its own.
 */
final class AuditLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  private static final int MAX_BATCH = 4096;
  private static final Duration RETRY = Duration.ofSeconds(1);
  /** The longest a deferred record waits for an fsync. */
  static final long DEFERRED_SYNC_MS = 20;

  private record Pending(AuditEvent event, CompletableFuture<Long> done) {}

  private final AuditSink sink;
  private final CheckpointSigner signer;
  private final Path headDir;
  private final FileSync sync;
  private final int checkpointEveryRecords;
  private final Duration checkpointEvery;
  private final Clock clock;
  private final BlockingQueue<Pending> queue;
  private final int queueCapacity;
  private final Thread writer;

  private Chain.Head head;
  private long sinceCheckpoint;
  private Instant lastCheckpoint;
  private volatile String problem;
  private volatile boolean closing;
  /** When the oldest record written without an fsync was written (nanoTime), or -1. */
  private long deferredSince = -1;

  AuditLog(AuditSink sink, CheckpointSigner signer, Path headDir, FileSync sync, int checkpointEveryRecords,
      Duration checkpointEvery, int queueCapacity, Clock clock) {
    this.sink = requireNonNull(sink, "sink");
    this.signer = requireNonNull(signer, "signer");
    this.headDir = requireNonNull(headDir, "headDir");
    this.sync = requireNonNull(sync, "sync");
    this.checkpointEveryRecords = checkpointEveryRecords;
    this.checkpointEvery = checkpointEvery;
    this.clock = requireNonNull(clock, "clock");
    this.queueCapacity = queueCapacity;
    this.queue = new LinkedBlockingQueue<>(queueCapacity);
    this.lastCheckpoint = clock.instant();
    readHead();
    this.writer = Thread.ofPlatform().name("audit-writer").daemon().start(this::run);
  }

  private boolean readHead() {
    try {
      head = sink.head();
      problem = null;
      return true;
    } catch (IOException | RuntimeException e) {
      problem = "audit store: cannot read the chain head: " + e.getMessage();
      log.error(problem);
      return false;
    }
  }

  /** Queues an event; the future completes with its seq once it is durable. */
  CompletableFuture<Long> append(AuditEvent event) {
    requireNonNull(event, "event");
    CompletableFuture<Long> done = new CompletableFuture<>();
    if (closing) {
      done.completeExceptionally(new AuditUnavailableException("audit log is closed"));
    } else if (!queue.offer(new Pending(event, done))) {
      done.completeExceptionally(new AuditUnavailableException(
          "audit queue: " + queueCapacity + " records waiting (expected: < " + queueCapacity + ")"));
    }
    return done;
  }

  /** Null when records are being written, else why not. */
  String problem() {
    String own = problem;
    return own != null ? own : sink.problem();
  }

  /** Records queued for the writer. */
  int queued() {
    return queue.size();
  }

  /** Bytes spooled locally for a store that is down (0 for the embedded store). */
  long spoolBytes() {
    return sink.spoolBytes();
  }

  /** The last durable record. */
  synchronized Chain.Head head() {
    return head;
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (!closing || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(pollMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, MAX_BATCH - 1);
        }
        if (head == null && !readHead()) {
          fail(batch, new AuditUnavailableException(problem));
          continue;
        }
        if (!batch.isEmpty()) {
          writeBatch(batch, null);
        } else if (deferredSince >= 0) {
          syncDeferred();
        } else if (problem != null || checkpointDue()) {
          // Idle: an interval checkpoint, or a probe that clears an earlier failure.
          writeBatch(batch, problem != null ? "recovery" : "interval");
        }
      } catch (InterruptedException e) {
        break;
      } finally {
        batch.clear();
      }
    }
    if (head != null && sinceCheckpoint > 0) {
      writeBatch(new ArrayList<>(), "shutdown");
    }
  }

  private long pollMillis() {
    if (problem != null) {
      return RETRY.toMillis();
    }
    long wait = 200;
    if (sinceCheckpoint > 0) {
      long left = Duration.between(clock.instant(), lastCheckpoint.plus(checkpointEvery)).toMillis();
      wait = Math.max(1, Math.min(200, left));
    }
    return deferredSince >= 0 ? Math.min(wait, DEFERRED_SYNC_MS) : wait;
  }

  /** Whether nothing waits for {@code event}'s record before acting: its fsync may come later. */
  private static boolean deferrable(AuditEvent event) {
    return switch (event) {
      case RequestCompleted e -> true;
      case SessionEnded e -> true;
      case AlertRaised e -> true; // The request's record, which names the alert, was waited for.
      case SessionStarted e -> false;
      case RequestDecided e -> false;
      case ApprovalEvent e -> false;
      case TerminalOutput e -> false;
      case Checkpoint e -> false;
    };
  }

  private void syncDeferred() {
    deferredSince = -1;
    try {
      sink.sync();
    } catch (IOException | RuntimeException e) {
      // The recovery probe's forced write retries the fsync, which covers the whole file.
      problem = "audit store unavailable: " + e.getMessage();
      log.error("{}; refusing new requests until it recovers", problem);
    }
  }

  private boolean checkpointDue() {
    return sinceCheckpoint > 0 && !clock.instant().isBefore(lastCheckpoint.plus(checkpointEvery));
  }

  /** Seals and writes the batch, with checkpoints where due; {@code trigger} forces one at the end. */
  private void writeBatch(List<Pending> batch, String trigger) {
    List<Chain.Sealed> sealed = new ArrayList<>(batch.size() + 2);
    Chain.Head at = head;
    long since = sinceCheckpoint;
    Chain.Sealed lastCheckpointRecord = null;
    Instant now = clock.instant();
    for (Pending pending : batch) {
      Chain.Sealed record = Chain.seal(at, now, pending.event());
      sealed.add(record);
      at = new Chain.Head(record.record().seq(), record.record().hash());
      if (++since >= checkpointEveryRecords) {
        lastCheckpointRecord = checkpoint(at, now, "records");
        sealed.add(lastCheckpointRecord);
        at = headOf(lastCheckpointRecord);
        since = 0;
      }
    }
    String endTrigger = trigger != null ? trigger
        : since > 0 && !now.isBefore(lastCheckpoint.plus(checkpointEvery)) ? "interval" : null;
    if (endTrigger != null && (since > 0 || trigger != null && trigger.equals("recovery"))) {
      lastCheckpointRecord = checkpoint(at, now, endTrigger);
      sealed.add(lastCheckpointRecord);
      at = headOf(lastCheckpointRecord);
      since = 0;
    }
    if (sealed.isEmpty()) {
      return;
    }
    String error = problem;
    try {
      String sinkProblem = sink.problem();
      if (sinkProblem != null) {
        throw new AuditUnavailableException(sinkProblem);
      }
      boolean deferred = lastCheckpointRecord == null && !batch.isEmpty()
          && batch.stream().allMatch(p -> deferrable(p.event()))
          && (deferredSince < 0 || System.nanoTime() - deferredSince < DEFERRED_SYNC_MS * 1_000_000);
      if (deferred) {
        sink.writeDeferred(sealed);
        if (deferredSince < 0) {
          deferredSince = System.nanoTime();
        }
      } else {
        sink.write(sealed);
        deferredSince = -1;
      }
    } catch (IOException | RuntimeException e) {
      problem = "audit store unavailable: " + e.getMessage();
      if (error == null) {
        log.error("{}; refusing new requests until it recovers", problem);
      }
      fail(batch, e instanceof AuditUnavailableException u ? u : new AuditUnavailableException(problem, e));
      return;
    }
    synchronized (this) {
      head = at;
    }
    sinceCheckpoint = since;
    if (lastCheckpointRecord != null) {
      lastCheckpoint = now;
    }
    problem = null;
    if (error != null) {
      log.info("audit store writable again at seq {}", at.seq());
    }
    if (lastCheckpointRecord != null) {
      try {
        CheckpointHead.write(headDir, lastCheckpointRecord.line(), sync);
      } catch (IOException e) {
        problem = "audit checkpoint head " + headDir.resolve(CheckpointHead.FILE) + ": " + e.getMessage();
        log.error(problem);
      }
    }
    int i = 0;
    for (Chain.Sealed record : sealed) {
      if (!(record.record().event() instanceof Checkpoint)) {
        batch.get(i++).done().complete(record.record().seq());
      }
    }
  }

  private Chain.Sealed checkpoint(Chain.Head at, Instant now, String trigger) {
    return Chain.seal(at, now, signer.checkpoint(at.seq(), at.hash(), trigger));
  }

  private static Chain.Head headOf(Chain.Sealed sealed) {
    return new Chain.Head(sealed.record().seq(), sealed.record().hash());
  }

  private static void fail(List<Pending> batch, AuditUnavailableException e) {
    for (Pending pending : batch) {
      pending.done().completeExceptionally(e);
    }
  }

  /** Writes what is queued and a final checkpoint, then closes the store. */
  @Override
  public void close() {
    closing = true;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      sink.close();
    } catch (IOException e) {
      log.warn("audit store close: {}", e.getMessage());
    }
  }
}
