package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis approvals list|approve|deny}: decides held requests through the gateway's
 * admin API, as the identity of the caller's token. Exit 0 on success, 1 when the gateway refuses
 * (its message on stderr), 2 when it cannot be asked.
 */
@Command(name = "approvals", description = "List, approve and deny requests held for approval.",
    subcommands = {ApprovalsCommand.ListCommand.class, ApprovalsCommand.ApproveCommand.class,
        ApprovalsCommand.DenyCommand.class})
final class ApprovalsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return AdminConnection.TROUBLE;
  }

  /** Runs one admin call, printing trouble to stderr. */
  abstract static class Base implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminConnection admin;

    abstract void run(PrintWriter out) throws AdminConnection.Trouble;

    @Override
    public Integer call() {
      try {
        run(spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return 0;
      } catch (AdminConnection.Trouble t) {
        spec.commandLine().getErr().println("portcullis: " + t.getMessage());
        spec.commandLine().getErr().flush();
        return t.exitCode;
      }
    }
  }

  /** {@code approvals list}. */
  @Command(name = "list", description = "List approval requests (default: pending ones).")
  static final class ListCommand extends Base {
    @Option(names = "--state", defaultValue = "pending",
        description = "pending, approved, denied, expired, cancelled or all (default: pending)")
    String state;

    @Option(names = "--json", description = "print the admin API's JSON")
    boolean json;

    @Override
    void run(PrintWriter out) throws AdminConnection.Trouble {
      var answer = AdminConnection.ok(admin.call("GET",
          "/api/v1/approvals?state=" + URLEncoder.encode(state, StandardCharsets.UTF_8), null));
      if (json) {
        out.println(answer.body());
        return;
      }
      JsonNode list = answer.json().path("approvals");
      if (list.isEmpty()) {
        spec.commandLine().getErr().println("no approval requests in state " + state);
      }
      for (JsonNode a : list) {
        out.println(line(a));
      }
    }
  }

  /** One approval as one line: id, state, requester, target, summary, expiry. */
  static String line(JsonNode a) {
    Map<String, String> cols = new LinkedHashMap<>();
    cols.put("id", a.path("id").asText());
    cols.put("state", a.path("state").asText());
    cols.put("requester", a.at("/requester/subject").asText());
    cols.put("target", a.path("target").asText());
    String summary = a.path("summary").asText().replaceAll("\\s+", " ").strip();
    cols.put("summary", summary.length() > 80 ? summary.substring(0, 79) + "…" : summary);
    cols.put("expires", "expires " + a.path("expires_at").asText());
    return String.join("  ", cols.values());
  }

  /** {@code approvals approve ID}. */
  @Command(name = "approve", description = "Approve a pending request.")
  static final class ApproveCommand extends Base {
    @Parameters(index = "0", paramLabel = "ID", description = "the approval id, apr_...")
    String id;

    @Option(names = "--comment", description = "a note kept with the approval")
    String comment;

    @Override
    void run(PrintWriter out) throws AdminConnection.Trouble {
      String body = comment == null ? "{}" : json(Map.of("comment", comment));
      JsonNode a = AdminConnection.ok(admin.call("POST", "/api/v1/approvals/" + path(id)
          + "/approve", body)).json();
      out.println("approved " + a.path("id").asText() + " for " + a.at("/requester/subject").asText()
          + " on " + a.path("target").asText());
    }
  }

  /** {@code approvals deny ID --reason ...}. */
  @Command(name = "deny", description = "Deny a pending request.")
  static final class DenyCommand extends Base {
    @Parameters(index = "0", paramLabel = "ID", description = "the approval id, apr_...")
    String id;

    @Option(names = "--reason", required = true, description = "why; the requester sees it")
    String reason;

    @Override
    void run(PrintWriter out) throws AdminConnection.Trouble {
      JsonNode a = AdminConnection.ok(admin.call("POST", "/api/v1/approvals/" + path(id) + "/deny",
          json(Map.of("reason", reason)))).json();
      out.println("denied " + a.path("id").asText() + " for " + a.at("/requester/subject").asText()
          + " on " + a.path("target").asText() + ": " + reason);
    }
  }

  private static String path(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  private static String json(Map<String, String> body) throws AdminConnection.Trouble {
    try {
      return io.portcullis.json.Json.mapper().writeValueAsString(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AdminConnection.Trouble(AdminConnection.TROUBLE, "cannot encode the request body");
    }
  }
}
