package io.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Sessions and requests found in an audit log's records: list, show, search. */
public final class AuditQueries {

  /**
   * Filters for {@link #sessions}; null means any.
   *
   * @param subject the identity's subject
   * @param group one of its groups
   * @param target the target
   * @param protocol the protocol
   * @param since started at or after
   * @param until started before
   * @param verdict {@code allow} or {@code deny}: sessions with at least one such request
   */
  public record SessionFilter(String subject, String group, String target, String protocol, Instant since,
      Instant until, String verdict) {

    public SessionFilter {
      verdict = normalVerdict(verdict);
    }

    /** No filter: every session. */
    public static SessionFilter any() {
      return new SessionFilter(null, null, null, null, null, null, null);
    }
  }

  /**
   * Filters for {@link #search}; null means any.
   *
   * @param subject the identity's subject
   * @param command a command (case-insensitive): SELECT, DELETE, exec, get...
   * @param table a table, {@code name} or {@code schema.name} (case-insensitive)
   * @param verdict {@code allow} or {@code deny}
   * @param since decided at or after
   * @param until decided before
   * @param session a session id
   */
  public record SearchFilter(String subject, String command, String table, String verdict, Instant since,
      Instant until, String session) {

    public SearchFilter {
      verdict = normalVerdict(verdict);
    }
  }

  /** {@code allow} or {@code deny} in lower case, or null; anything else is refused, not read as deny. */
  static String normalVerdict(String verdict) {
    if (verdict == null) {
      return null;
    }
    String v = verdict.toLowerCase(Locale.ROOT);
    if (!v.equals("allow") && !v.equals("deny")) {
      throw new IllegalArgumentException("verdict: " + verdict + " (expected: allow or deny)");
    }
    return v;
  }

  /**
   * An instant from {@code 2026-01-02T03:04:05Z}, or an age before {@code clock}'s now:
   * {@code 30s}, {@code 30m}, {@code 2h}, {@code 7d}, {@code PT1H}; null for null.
   *
   * @param name the option or parameter, for the error message
   * @throws IllegalArgumentException for anything else
   */
  public static Instant time(String name, String text, Clock clock) {
    if (text == null) {
      return null;
    }
    try {
      if (text.matches("\\d+[smhd]")) {
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        Duration d = switch (text.charAt(text.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
        return clock.instant().minus(d);
      }
      if (text.startsWith("P")) {
        return clock.instant().minus(Duration.parse(text));
      }
      return Instant.parse(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(name + ": " + text
          + " (expected: an ISO instant such as 2026-01-02T03:04:05Z, or an age: 30m, 2h, 7d, PT1H)");
    }
  }

  private final List<AuditRecord> records;
  private final Map<String, SessionStarted> starts = new LinkedHashMap<>();

  public AuditQueries(List<AuditRecord> records) {
    this.records = List.copyOf(records);
    for (AuditRecord r : records) {
      if (r.event() instanceof SessionStarted s) {
        starts.putIfAbsent(s.sessionId(), s);
      }
    }
  }

  /** Sessions matching {@code filter}, in the order they started. */
  public List<SessionSummary> sessions(SessionFilter filter) {
    Map<String, SessionSummary> out = new LinkedHashMap<>();
    Map<String, Instant> startTs = new LinkedHashMap<>();
    Map<String, long[]> counts = new LinkedHashMap<>();
    Map<String, AuditRecord> ends = new LinkedHashMap<>();
    for (AuditRecord r : records) {
      String id = r.event().sessionId();
      if (id == null) {
        continue;
      }
      long[] c = counts.computeIfAbsent(id, k -> new long[4]);
      switch (r.event()) {
        case SessionStarted s -> startTs.putIfAbsent(id, s.startedAt() != null ? s.startedAt() : r.ts());
        case RequestDecided d -> {
          c[0]++;
          c[d.decision().allow() ? 1 : 2]++;
        }
        case ApprovalEvent a -> c[3]++;
        case SessionEnded e -> ends.put(id, r);
        case RequestCompleted x -> { }
        case AlertRaised a -> { }
        case TerminalOutput t -> { }
        case Checkpoint k -> { }
      }
    }
    for (Map.Entry<String, SessionStarted> e : starts.entrySet()) {
      SessionStarted s = e.getValue();
      long[] c = counts.getOrDefault(e.getKey(), new long[4]);
      AuditRecord end = ends.get(e.getKey());
      SessionEnded ended = end == null ? null : (SessionEnded) end.event();
      SessionSummary summary = new SessionSummary(s.sessionId(), s.protocol(), s.target(), s.identity().subject(),
          s.identity().groups(), s.source().ip(), startTs.get(e.getKey()), end == null ? null : end.ts(),
          ended == null ? null : ended.durationMs(), ended == null ? null : ended.reason(), c[0], c[1], c[2], c[3]);
      if (matches(summary, filter)) {
        out.put(summary.id(), summary);
      }
    }
    return List.copyOf(out.values());
  }

  private static boolean matches(SessionSummary s, SessionFilter f) {
    return (f.subject() == null || f.subject().equals(s.subject()))
        && (f.group() == null || s.groups().contains(f.group()))
        && (f.target() == null || f.target().equals(s.target()))
        && (f.protocol() == null || f.protocol().equalsIgnoreCase(s.protocol()))
        && (f.since() == null || !s.startedAt().isBefore(f.since()))
        && (f.until() == null || s.startedAt().isBefore(f.until()))
        && (f.verdict() == null || (f.verdict().equals("allow") ? s.allowed() > 0 : s.denied() > 0));
  }

  /** The summary of one session, or null when the log does not have its start. */
  public SessionSummary summary(String sessionId) {
    return sessions(SessionFilter.any()).stream().filter(s -> s.id().equals(sessionId)).findFirst().orElse(null);
  }

  /** Every record of one session, in log order: its timeline. */
  public List<AuditRecord> timeline(String sessionId) {
    return records.stream().filter(r -> sessionId.equals(r.event().sessionId())).toList();
  }

  /** The session's start, or null when the log does not have it. */
  public SessionStarted start(String sessionId) {
    return starts.get(sessionId);
  }

  /** Requests matching {@code filter}, in log order. */
  public List<RequestHit> search(SearchFilter filter) {
    List<RequestHit> out = new ArrayList<>();
    for (AuditRecord r : records) {
      if (!(r.event() instanceof RequestDecided d)) {
        continue;
      }
      RequestHit hit = hit(r, d);
      if ((filter.subject() == null || filter.subject().equals(hit.subject()))
          && (filter.session() == null || filter.session().equals(hit.sessionId()))
          && (filter.verdict() == null || hit.allow() == filter.verdict().equals("allow"))
          && (filter.since() == null || !r.ts().isBefore(filter.since()))
          && (filter.until() == null || r.ts().isBefore(filter.until()))
          && (filter.command() == null || hit.commands().stream().anyMatch(c -> c.equalsIgnoreCase(filter.command())))
          && (filter.table() == null || hit.tables().stream().anyMatch(t -> tableMatches(t, filter.table())))) {
        out.add(hit);
      }
    }
    return out;
  }

  private static boolean tableMatches(String qualified, String wanted) {
    String q = qualified.toLowerCase(Locale.ROOT);
    String w = wanted.toLowerCase(Locale.ROOT);
    return q.equals(w) || q.endsWith("." + w);
  }

  /** A request record as a search hit. */
  public RequestHit hit(AuditRecord r, RequestDecided d) {
    SessionStarted s = starts.get(d.sessionId());
    JsonNode request = d.request();
    Set<String> commands = new LinkedHashSet<>();
    Set<String> tables = new LinkedHashSet<>();
    String text = null;
    if (request != null) {
      for (String field : List.of("sql", "command_line", "command", "path")) {
        if (text == null && request.path(field).isTextual()) {
          text = request.path(field).asText();
        }
      }
      for (JsonNode statement : request.path("statements")) {
        if (statement.path("command").isTextual()) {
          commands.add(statement.path("command").asText());
        }
        for (JsonNode table : statement.path("tables")) {
          String schema = table.path("schema").isTextual() ? table.path("schema").asText() + "." : "";
          tables.add(schema + table.path("name").asText());
        }
      }
      for (String field : List.of("verb", "kind")) {
        if (request.path(field).isTextual() && !(field.equals("kind") && request.path(field).asText().equals("sql"))) {
          commands.add(request.path(field).asText());
        }
      }
    }
    return new RequestHit(r.seq(), r.ts(), d.sessionId(), s == null ? null : s.identity().subject(),
        s == null ? null : s.target(), d.requestNo(), text, List.copyOf(commands), List.copyOf(tables),
        d.decision().allow(), d.decision().reasons(), d.decision().decisionId());
  }

  /** The pause before {@code next} when replaying after {@code previous} at {@code speed} times the pace. */
  public static Duration pause(AuditRecord previous, AuditRecord next, double speed) {
    if (previous == null || speed <= 0) {
      return Duration.ZERO;
    }
    Duration gap = Duration.between(previous.ts(), next.ts());
    return gap.isNegative() ? Duration.ZERO : Duration.ofNanos((long) (gap.toNanos() / speed));
  }
}
