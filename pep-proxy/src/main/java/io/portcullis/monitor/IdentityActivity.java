package io.portcullis.monitor;

import io.portcullis.document.Context;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Everything the gateway keeps about one identity's recent activity. */
final class IdentityActivity {

  final String key;
  final ActivityScope all;
  private final int maxTables;
  private final int maxSources;
  private final ConcurrentHashMap<String, ActivityScope> targets = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Context.SourceSeen> sources = new ConcurrentHashMap<>();
  /** The sources, oldest first, rebuilt whenever a session starts. */
  private volatile List<Context.SourceSeen> sourceList = List.of();
  final AtomicInteger openSessions = new AtomicInteger();
  volatile long lastActiveMillis;

  IdentityActivity(String key, int maxTables, int maxSources, long nowMillis) {
    this.key = key;
    this.maxTables = maxTables;
    this.maxSources = maxSources;
    this.all = new ActivityScope(maxTables);
    this.lastActiveMillis = nowMillis;
  }

  ActivityScope target(String name) {
    return targets.computeIfAbsent(name, n -> new ActivityScope(maxTables));
  }

  /** Notes a session from {@code ip}; true when the identity was never seen from it before. */
  boolean connectedFrom(String ip, Instant at) {
    boolean[] fresh = {false};
    sources.compute(ip, (k, seen) -> {
      if (seen == null) {
        fresh[0] = true;
        return new Context.SourceSeen(ip, at, at);
      }
      return new Context.SourceSeen(ip, seen.firstSeen(), at);
    });
    while (sources.size() > maxSources) {
      sources.values().stream().filter(s -> !s.ip().equals(ip))
          .min(Comparator.comparing(Context.SourceSeen::lastSeen))
          .ifPresent(s -> sources.remove(s.ip(), s));
    }
    sourceList = sources.values().stream().sorted(Comparator.comparing(Context.SourceSeen::firstSeen)
        .thenComparing(Context.SourceSeen::ip)).toList();
    return fresh[0];
  }

  List<Context.SourceSeen> sources() {
    return sourceList;
  }

  /** The targets this identity used through this gateway, with their counters. */
  Map<String, ActivityScope> targets() {
    return targets;
  }

  /** The sources seen at or after {@code sinceMillis}, for other gateways. */
  List<Context.SourceSeen> sourcesSince(long sinceMillis) {
    return sourceList.stream().filter(s -> s.lastSeen().toEpochMilli() >= sinceMillis).toList();
  }

  /**
   * Adds the sources other gateways saw this identity connect from, so that a session from one of
   * them is not new here; keeps the earliest first and the latest last sighting of each.
   */
  void peerSources(List<Context.SourceSeen> seen) {
    if (seen.isEmpty()) {
      return;
    }
    for (Context.SourceSeen other : seen) {
      sources.merge(other.ip(), other, (here, there) -> new Context.SourceSeen(here.ip(),
          here.firstSeen().isBefore(there.firstSeen()) ? here.firstSeen() : there.firstSeen(),
          here.lastSeen().isAfter(there.lastSeen()) ? here.lastSeen() : there.lastSeen()));
    }
    while (sources.size() > maxSources) {
      sources.values().stream().min(Comparator.comparing(Context.SourceSeen::lastSeen))
          .ifPresent(s -> sources.remove(s.ip(), s));
    }
    sourceList = sources.values().stream().sorted(Comparator.comparing(Context.SourceSeen::firstSeen)
        .thenComparing(Context.SourceSeen::ip)).toList();
  }
}
