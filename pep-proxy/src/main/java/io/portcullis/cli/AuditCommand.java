package io.portcullis.cli;

import io.portcullis.audit.AuditQueries;
import io.portcullis.audit.AuditVerifier;
import io.portcullis.audit.RequestHit;
import io.portcullis.audit.VerifyReport;
import io.portcullis.json.Json;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code portcullis audit}: verify the audit log, search it. */
@Command(name = "audit", description = "Verify and search the audit log.",
    subcommands = {AuditCommand.Verify.class, AuditCommand.Search.class})
final class AuditCommand {

  static PrintStream out = System.out;

  /** {@code portcullis audit verify}: checks the chain, the checkpoints and the log's end. */
  @Command(name = "verify", description = "Check the whole log; exit 1 and say where when it is broken.")
  static final class Verify implements Callable<Integer> {
    @Mixin AuditStoreOptions store;

    @Override
    public Integer call() throws Exception {
      VerifyReport report = AuditVerifier.verify(store.reader(), store.key());
      if (store.json) {
        out.println(Json.mapper().writeValueAsString(report));
      } else if (report.ok()) {
        out.printf("audit log intact: %d records (seq %d..%d), %d signed checkpoints, last at seq %d; "
                + "signed head seq %d; %d records after the last checkpoint%n", report.records(), report.firstSeq(),
            report.lastSeq(), report.checkpoints(), report.lastCheckpointSeq(), report.signedHeadSeq(),
            report.unsignedTail());
      } else {
        out.printf("audit log BROKEN: %d problem(s) in %d records%n", report.problems().size(), report.records());
        report.problems().forEach(p -> out.println("  " + p));
      }
      return report.ok() ? 0 : 1;
    }
  }

  /** {@code portcullis audit search}: requests by subject, command, table, verdict, time. */
  @Command(name = "search", description = "Find requests by subject, command, table, verdict and time.")
  static final class Search implements Callable<Integer> {
    @Mixin AuditStoreOptions store;
    @Option(names = "--subject") String subject;
    @Option(names = "--command", description = "SELECT, DELETE, ... (case-insensitive)") String command;
    @Option(names = "--table", description = "name or schema.name") String table;
    @Option(names = "--verdict", description = "allow or deny") String verdict;
    @Option(names = {"--since", "--from"}, description = "ISO instant, or an age: 30m, 2h, 7d, PT1H") String since;
    @Option(names = {"--until", "--to"}, description = "ISO instant, or an age") String until;
    @Option(names = "--session") String session;

    @Override
    public Integer call() throws Exception {
      List<RequestHit> hits = new AuditQueries(store.reader().records()).search(new AuditQueries.SearchFilter(
          subject, command, table, verdict, AuditStoreOptions.time("--since", since), AuditStoreOptions.time("--until", until), session));
      if (store.json) {
        out.println(Json.mapper().writeValueAsString(hits));
        return 0;
      }
      for (RequestHit h : hits) {
        out.printf("%s  %-24s %-14s %-5s %s%s%n", h.ts(), h.sessionId(), h.subject(), h.allow() ? "ALLOW" : "DENY",
            h.text(), h.allow() || h.reasons().isEmpty() ? "" : "  (" + String.join("; ", h.reasons()) + ")");
      }
      return 0;
    }
  }
}
