package io.portcullis.cli;

import io.portcullis.audit.AlertRaised;
import io.portcullis.audit.ApprovalEvent;
import io.portcullis.audit.Asciicast;
import io.portcullis.audit.AuditQueries;
import io.portcullis.audit.AuditRecord;
import io.portcullis.audit.Checkpoint;
import io.portcullis.audit.RequestCompleted;
import io.portcullis.audit.RequestDecided;
import io.portcullis.audit.SessionEnded;
import io.portcullis.audit.SessionStarted;
import io.portcullis.audit.SessionSummary;
import io.portcullis.audit.TerminalOutput;
import io.portcullis.json.Json;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portcullis sessions}: list, show, replay and export recorded sessions. */
@Command(name = "sessions", description = "List, show, replay and export recorded sessions.",
    subcommands = {SessionsCommand.ListSessions.class, SessionsCommand.Show.class, SessionsCommand.Replay.class,
        SessionsCommand.Export.class})
final class SessionsCommand {

  static PrintStream out = System.out;
  /** How replay waits; a seam for tests. */
  static Consumer<Duration> sleeper = d -> {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  };

  /** {@code portcullis sessions list}. */
  @Command(name = "list", description = "Sessions, filtered by subject, group, target, protocol, time, verdict.")
  static final class ListSessions implements Callable<Integer> {
    @Mixin AuditStoreOptions store;
    @Option(names = "--subject") String subject;
    @Option(names = "--group") String group;
    @Option(names = "--target") String target;
    @Option(names = "--protocol") String protocol;
    @Option(names = {"--since", "--from"}, description = "ISO instant, or an age: 30m, 2h, 7d, PT1H") String since;
    @Option(names = {"--until", "--to"}, description = "ISO instant, or an age") String until;
    @Option(names = "--verdict", description = "allow or deny: sessions with at least one such request")
    String verdict;

    @Override
    public Integer call() throws Exception {
      List<SessionSummary> sessions = new AuditQueries(store.reader().records()).sessions(
          new AuditQueries.SessionFilter(subject, group, target, protocol, AuditStoreOptions.time("--since", since),
              AuditStoreOptions.time("--until", until), verdict));
      if (store.json) {
        out.println(Json.mapper().writeValueAsString(sessions));
        return 0;
      }
      out.printf("%-24s %-27s %-14s %-10s %-8s %5s %5s %5s  %s%n", "SESSION", "STARTED", "SUBJECT", "TARGET",
          "PROTOCOL", "REQ", "ALLOW", "DENY", "END");
      for (SessionSummary s : sessions) {
        out.printf("%-24s %-27s %-14s %-10s %-8s %5d %5d %5d  %s%n", s.id(),
            s.startedAt() == null ? "-" : s.startedAt().truncatedTo(ChronoUnit.MILLIS), s.subject(), s.target(),
            s.protocol(), s.requests(), s.allowed(), s.denied(), s.endReason() == null ? "-" : s.endReason());
      }
      return 0;
    }
  }

  /** {@code portcullis sessions show ID}: the timeline. */
  @Command(name = "show", description = "A session's timeline: requests, verdicts and reasons, approvals, rows.")
  static final class Show implements Callable<Integer> {
    @Mixin AuditStoreOptions store;
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    public Integer call() throws Exception {
      List<AuditRecord> timeline = new AuditQueries(store.reader().records()).timeline(id);
      if (timeline.isEmpty()) {
        System.err.println("no session " + id);
        return 1;
      }
      if (store.json) {
        out.println(Json.mapper().writeValueAsString(timeline));
        return 0;
      }
      timeline.forEach(r -> out.println(r.ts() + "  " + describe(r)));
      return 0;
    }
  }

  /** {@code portcullis sessions replay ID}: plays the requests back at their pace. */
  @Command(name = "replay", description = "Play a session back: each request and its verdict, at the original pace.")
  static final class Replay implements Callable<Integer> {
    @Mixin AuditStoreOptions store;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = "--speed", defaultValue = "1", description = "N times faster (default 1; 0: no pauses)")
    double speed;

    @Override
    public Integer call() throws Exception {
      List<AuditRecord> timeline = new AuditQueries(store.reader().records()).timeline(id);
      if (timeline.isEmpty()) {
        System.err.println("no session " + id);
        return 1;
      }
      AuditRecord previous = null;
      for (AuditRecord r : timeline) {
        if (r.event() instanceof TerminalOutput) {
          continue;
        }
        Duration pause = AuditQueries.pause(previous, r, speed);
        if (!pause.isZero()) {
          sleeper.accept(pause);
        }
        previous = r;
        if (store.json) {
          out.println(Json.mapper().writeValueAsString(r));
        } else {
          out.println("+" + offset(timeline.get(0), r) + "  " + describe(r));
        }
        out.flush();
      }
      return 0;
    }
  }

  /** {@code portcullis sessions export ID --asciicast}. */
  @Command(name = "export", description = "Export a terminal session as an asciicast v2 file (asciinema play).")
  static final class Export implements Callable<Integer> {
    @Mixin AuditStoreOptions store;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = "--asciicast", required = true, description = "asciicast v2 format") boolean asciicast;
    @Option(names = {"-o", "--output"}, description = "file to write (default: standard output)") Path output;

    @Override
    public Integer call() throws Exception {
      AuditQueries queries = new AuditQueries(store.reader().records());
      List<AuditRecord> timeline = queries.timeline(id);
      if (timeline.isEmpty()) {
        System.err.println("no session " + id);
        return 1;
      }
      String cast = Asciicast.export(queries.start(id), timeline);
      if (output != null) {
        Files.writeString(output, cast);
      } else {
        out.print(cast);
      }
      return 0;
    }
  }

  private static String offset(AuditRecord first, AuditRecord r) {
    Duration d = Duration.between(first.ts(), r.ts());
    return String.format("%d.%03ds", d.toSeconds(), d.toMillisPart());
  }

  /** One line for a record in a timeline. */
  static String describe(AuditRecord r) {
    return switch (r.event()) {
      case SessionStarted s -> "session start  " + s.identity().subject() + " " + s.identity().groups() + " from "
          + s.source().ip() + ":" + s.source().port() + (s.source().tls() ? " tls" : "") + " to " + s.target()
          + " (" + s.protocol() + ")";
      case RequestDecided d -> "request #" + d.requestNo() + "  " + (d.decision().allow() ? "ALLOW" : "DENY ") + "  "
          + text(d) + (d.decision().reasons().isEmpty() ? "" : "  reasons: " + String.join("; ", d.decision().reasons()))
          + (d.decision().decisionId() == null ? "" : "  decision " + d.decision().decisionId());
      case RequestCompleted c -> "response #" + c.requestNo() + "  " + (c.rows() == null ? "" : c.rows() + " rows, ")
          + c.bytes() + " bytes" + (c.maskedValues() > 0 ? ", " + c.maskedValues() + " masked" : "")
          + (c.error() == null ? "" : ", error: " + c.error());
      case ApprovalEvent a -> "approval " + a.approvalId() + "  " + a.action() + (a.actor() == null ? "" : " by " + a.actor())
          + (a.reason() == null ? "" : ": " + a.reason());
      case AlertRaised a -> "alert " + a.alert() + "  on request #" + a.requestNo()
          + (a.suppressed() > 0 ? " (and " + a.suppressed() + " more since the last)" : "");
      case SessionEnded e -> "session end  " + e.reason() + " after " + e.durationMs() + " ms, " + e.requests()
          + " requests (" + e.allowed() + " allowed, " + e.denied() + " denied)";
      case TerminalOutput t -> "terminal " + t.stream() + "  " + t.data().length() + " chars";
      case Checkpoint c -> "checkpoint";
    };
  }

  private static String text(RequestDecided d) {
    if (d.request() == null) {
      return "";
    }
    for (String field : List.of("sql", "command_line", "command", "path")) {
      if (d.request().path(field).isTextual()) {
        return d.request().path(field).asText();
      }
    }
    return d.request().toString();
  }
}
