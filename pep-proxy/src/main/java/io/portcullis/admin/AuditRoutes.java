package io.portcullis.admin;

import static java.util.Objects.requireNonNull;

import io.portcullis.audit.Asciicast;
import io.portcullis.audit.AuditQueries;
import io.portcullis.audit.AuditReader;
import io.portcullis.audit.AuditRecord;
import io.portcullis.audit.AuditVerifier;
import io.portcullis.audit.RequestHit;
import io.portcullis.audit.SessionStarted;
import io.portcullis.audit.SessionSummary;
import io.portcullis.audit.TerminalOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The audit endpoints of the admin API, for a future web console: what {@code portcullis
 * sessions} and {@code portcullis audit} print with {@code --json}, with the same filters as query
 * parameters ({@code from}/{@code to} for {@code --since}/{@code --until}). Only callers named in
 * {@code admin.auditors} get an answer; everyone else gets 403, whatever they ask for.
 *
 * <p>Each call reads the whole log from the store, as the CLI does.
 */
public final class AuditRoutes {

  /** The media type of an asciicast v2 file. */
  static final String ASCIICAST = "application/x-asciicast";

  private static final Set<String> SESSION_FILTERS =
      Set.of("subject", "group", "target", "protocol", "from", "to", "verdict");
  private static final Set<String> SEARCH_FILTERS =
      Set.of("subject", "command", "table", "verdict", "from", "to", "session");

  /** {@code GET /api/v1/sessions}: the sessions, in the order they started. */
  record Sessions(List<SessionSummary> sessions) {}

  /** {@code GET /api/v1/sessions/{id}}: the summary (null without a recorded start) and the timeline. */
  record Session(SessionSummary session, List<AuditRecord> records) {}

  /** {@code GET /api/v1/audit/search}: the requests found, in log order. */
  record Search(List<RequestHit> requests) {}

  private final AuditReader reader;
  private final PublicKey key;
  private final Auditors auditors;
  private final Clock clock;

  private AuditRoutes(AuditReader reader, PublicKey key, Auditors auditors, Clock clock) {
    this.reader = reader;
    this.key = key;
    this.auditors = auditors;
    this.clock = clock;
  }

  /**
   * The routes, under {@code /api/v1/sessions} and {@code /api/v1/audit}.
   *
   * @param reader the log to read, or null when the gateway records nothing (every route 404s)
   * @param key the checkpoint public key, or null when there is none (verify reports it)
   * @param auditors who may read
   * @param clock the clock ages such as {@code from=2h} count back from
   */
  public static List<AdminRoute> of(AuditReader reader, PublicKey key, Auditors auditors, Clock clock) {
    AuditRoutes routes = new AuditRoutes(reader, key, requireNonNull(auditors, "auditors"),
        requireNonNull(clock, "clock"));
    return List.of(
        AdminRoute.get("/api/v1/sessions", routes.guarded(routes::sessions)),
        AdminRoute.get("/api/v1/sessions/{id}", routes.guarded(routes::session)),
        AdminRoute.get("/api/v1/sessions/{id}/asciicast", routes.guarded(routes::asciicast)),
        AdminRoute.get("/api/v1/audit/search", routes.guarded(routes::search)),
        AdminRoute.get("/api/v1/audit/verify", routes.guarded(routes::verify)));
  }

  private interface Reading {
    AdminResponse handle(AdminRequest request) throws IOException;
  }

  /** The caller must be an auditor, the log on, and the store readable. */
  private AdminRoute.Handler guarded(Reading reading) {
    return request -> {
      auditors.check(request.caller());
      if (reader == null) {
        throw new AdminException(404, "this gateway records no audit log (audit.enabled: false)");
      }
      try {
        return reading.handle(request);
      } catch (IllegalArgumentException e) {
        throw new AdminException(400, e.getMessage());
      } catch (IOException e) {
        throw new AdminException(503, "the audit store cannot be read: " + e.getMessage());
      }
    };
  }

  private AdminResponse sessions(AdminRequest r) throws IOException {
    only(r, SESSION_FILTERS);
    var filter = new AuditQueries.SessionFilter(param(r, "subject"), param(r, "group"), param(r, "target"),
        param(r, "protocol"), AuditQueries.time("from", param(r, "from"), clock),
        AuditQueries.time("to", param(r, "to"), clock), param(r, "verdict"));
    return AdminResponse.json(200, new Sessions(queries().sessions(filter)));
  }

  private AdminResponse session(AdminRequest r) throws IOException {
    only(r, Set.of());
    String id = r.params().get("id");
    AuditQueries queries = queries();
    List<AuditRecord> timeline = timeline(queries, id);
    return AdminResponse.json(200, new Session(queries.summary(id), timeline));
  }

  private AdminResponse asciicast(AdminRequest r) throws IOException {
    only(r, Set.of());
    String id = r.params().get("id");
    AuditQueries queries = queries();
    List<AuditRecord> timeline = timeline(queries, id);
    SessionStarted start = queries.start(id);
    boolean terminal = start != null && start.terminal() != null
        || timeline.stream().anyMatch(record -> record.event() instanceof TerminalOutput);
    if (!terminal) {
      throw new AdminException(404, "session " + id + " is not a terminal session (no asciicast to export)");
    }
    return new AdminResponse(200, ASCIICAST,
        Asciicast.export(start, timeline).getBytes(StandardCharsets.UTF_8));
  }

  private AdminResponse search(AdminRequest r) throws IOException {
    only(r, SEARCH_FILTERS);
    var filter = new AuditQueries.SearchFilter(param(r, "subject"), param(r, "command"), param(r, "table"),
        param(r, "verdict"), AuditQueries.time("from", param(r, "from"), clock),
        AuditQueries.time("to", param(r, "to"), clock), param(r, "session"));
    return AdminResponse.json(200, new Search(queries().search(filter)));
  }

  /** 200 with the report whether or not the log is intact: the report says which. */
  private AdminResponse verify(AdminRequest r) throws IOException {
    only(r, Set.of());
    return AdminResponse.json(200, AuditVerifier.verify(reader, key));
  }

  private AuditQueries queries() throws IOException {
    return new AuditQueries(reader.records());
  }

  private static List<AuditRecord> timeline(AuditQueries queries, String id) {
    List<AuditRecord> timeline = queries.timeline(id);
    if (timeline.isEmpty()) {
      throw new AdminException(404, "no session " + id + " in the audit log");
    }
    return timeline;
  }

  /** A query parameter; an empty one (a console's blank form field) means no filter. */
  private static String param(AdminRequest r, String name) {
    String value = r.query().get(name);
    return value == null || value.isBlank() ? null : value;
  }

  /** A misspelt filter would silently widen a forensic query: refuse what is not a filter. */
  private static void only(AdminRequest r, Set<String> allowed) {
    for (String name : r.query().keySet()) {
      if (!allowed.contains(name)) {
        throw new AdminException(400, "query parameter " + name + ": unknown (expected: "
            + (allowed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(allowed))) + ")");
      }
    }
  }
}
