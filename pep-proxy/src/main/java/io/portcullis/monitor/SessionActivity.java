package io.portcullis.monitor;

import io.portcullis.document.Context;
import java.util.Collection;
import java.util.function.LongSupplier;

/**
 * One session's handle on its identity's activity: what it reads into each request document and
 * what it adds once a request is decided and its response relayed. Safe from any thread; the
 * hot path takes no lock.
 */
public final class SessionActivity {

  private final IdentityActivity identity;
  private final ActivityScope target;
  private final boolean newSource;
  private final LongSupplier clock;
  private boolean closed;
  /** Whether the session's first request has been decided: only it reports a new source. */
  private volatile boolean pastFirstRequest;

  SessionActivity(IdentityActivity identity, ActivityScope target, boolean newSource, LongSupplier clock) {
    this.identity = identity;
    this.target = target;
    this.newSource = newSource;
    this.clock = clock;
  }

  /**
   * The identity's activity before the request being decided now. A new source address is
   * reported with the session's first request only: that is the new connection a policy judges
   * (and may end); the session's later requests come from an address the identity has used.
   */
  public Context.Stats stats() {
    long now = clock.getAsLong();
    return Context.Stats.of(identity.all.counts(now), target.counts(now), newSource && !pastFirstRequest,
        identity.sources());
  }

  /** Whether this session's source address was new for its identity. */
  public boolean newSource() {
    return newSource;
  }

  /**
   * Counts a decided request.
   *
   * @param write whether it holds a write statement
   * @param denied whether it was denied
   * @param tables the tables an allowed request touches ({@code schema.name} or {@code name})
   */
  public void decided(boolean write, boolean denied, Collection<String> tables) {
    pastFirstRequest = true;
    long now = clock.getAsLong();
    identity.lastActiveMillis = now;
    add(now, BucketRing.REQUESTS, 1);
    add(now, BucketRing.WRITES, write ? 1 : 0);
    add(now, BucketRing.DENIED, denied ? 1 : 0);
    if (!denied && !tables.isEmpty()) {
      identity.all.touched(now, tables);
      target.touched(now, tables);
    }
  }

  /** Counts what was relayed to the client for one request. */
  public void returned(long rows, long bytes) {
    long now = clock.getAsLong();
    identity.lastActiveMillis = now;
    add(now, BucketRing.ROWS, rows);
    add(now, BucketRing.BYTES, bytes);
  }

  private void add(long now, int field, long n) {
    identity.all.add(now, field, n);
    target.add(now, field, n);
  }

  /** The session ended; call once (later calls do nothing). Event-loop confined. */
  public void close() {
    if (!closed) {
      closed = true;
      identity.lastActiveMillis = clock.getAsLong();
      identity.openSessions.decrementAndGet();
    }
  }
}
