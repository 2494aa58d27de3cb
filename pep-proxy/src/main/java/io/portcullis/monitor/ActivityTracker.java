package io.portcullis.monitor;

import static java.util.Objects.requireNonNull;

import io.portcullis.document.Context;
import io.portcullis.document.Identity;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Live activity per identity (subject and issuer) and per identity and target, for
 * {@code input.context.stats}. Memory is bounded: at most {@code max_identities} identities,
 * idle ones dropped after {@code identity_idle_s}. Each gateway counts what passes through it;
 * with {@link SharedActivity}, gateways sharing a PostgreSQL database add each other's counts.
 *
 * <p>Sessions hold their identity's counters directly, so counting needs no map lookup and no
 * lock; only a session's start touches the map, and a sweep for idle identities runs at most once
 * a minute, or when the cap is reached, on the thread of the session that starts.
 */
public final class ActivityTracker {

  private static final long SWEEP_EVERY_MS = 60_000;

  private final MonitoringSettings settings;
  private final LongSupplier clock;
  private final ConcurrentHashMap<String, IdentityActivity> identities = new ConcurrentHashMap<>();
  private final AtomicLong nextSweep;
  /** Where an identity new to this gateway finds the sources other gateways saw it use. */
  private volatile Function<String, List<Context.SourceSeen>> peerSources = key -> List.of();

  public ActivityTracker(MonitoringSettings settings) {
    this(settings, System::currentTimeMillis);
  }

  ActivityTracker(MonitoringSettings settings, LongSupplier clock) {
    this.settings = requireNonNull(settings, "settings");
    this.clock = requireNonNull(clock, "clock");
    this.nextSweep = new AtomicLong(clock.getAsLong() + SWEEP_EVERY_MS);
  }

  /**
   * Starts tracking a session of {@code identity} on {@code target} from {@code ip}; the caller
   * must {@link SessionActivity#close()} it when the session ends.
   */
  public SessionActivity open(Identity identity, String target, String ip) {
    long now = clock.getAsLong();
    sweepIfDue(now);
    String key = key(identity);
    IdentityActivity activity = identities.compute(key, (k, a) -> {
      IdentityActivity live = a;
      if (live == null) {
        live = new IdentityActivity(k, settings.maxTablesPerIdentity(), settings.maxSourcesPerIdentity(), now);
        live.peerSources(peerSources.apply(k));
      }
      live.openSessions.incrementAndGet();
      live.lastActiveMillis = now;
      return live;
    });
    boolean fresh = activity.connectedFrom(ip, Instant.ofEpochMilli(now));
    return new SessionActivity(activity, activity.target(target), fresh, clock);
  }

  /** Sets where identities new to this gateway find the sources other gateways saw them use. */
  void peerSources(Function<String, List<Context.SourceSeen>> lookup) {
    peerSources = requireNonNull(lookup, "lookup");
  }

  /** The identities tracked now (a live view). */
  java.util.Collection<IdentityActivity> identities() {
    return identities.values();
  }

  /** The identity tracked under {@code key}, or null. */
  IdentityActivity identity(String key) {
    return identities.get(key);
  }

  /** Identities tracked now. */
  public int size() {
    return identities.size();
  }

  /** Subject and issuer: the same subject from two issuers is two identities. */
  static String key(Identity identity) {
    String issuer = identity.issuer() == null ? "" : identity.issuer();
    return issuer.length() + ":" + issuer + identity.subject();
  }

  private void sweepIfDue(long now) {
    long due = nextSweep.get();
    if ((now >= due || identities.size() >= settings.maxIdentities())
        && nextSweep.compareAndSet(due, now + SWEEP_EVERY_MS)) {
      sweep(now);
    }
  }

  /** Drops idle identities, then, over the cap, the least recently active ones without a session. */
  void sweep(long now) {
    long idleBefore = now - settings.identityIdleS() * 1000L;
    identities.values().removeIf(a -> a.openSessions.get() == 0 && a.lastActiveMillis < idleBefore);
    int over = identities.size() - settings.maxIdentities() + 1;
    if (over <= 0) {
      return;
    }
    // Make room for a tenth more at once, so that a full tracker does not sort on every start.
    int drop = Math.max(over, settings.maxIdentities() / 10);
    identities.values().stream()
        .filter(a -> a.openSessions.get() == 0)
        .sorted(Comparator.comparingLong(a -> a.lastActiveMillis))
        .limit(drop)
        .toList()
        .forEach(a -> identities.remove(a.key, a));
  }
}
