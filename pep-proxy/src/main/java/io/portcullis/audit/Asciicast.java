package io.portcullis.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * Exports a terminal session as an asciicast v2 file (what {@code asciinema play} reads): a header
 * line, then one {@code [seconds, "o"|"i"|"r", data]} line per terminal_output record.
 */
public final class Asciicast {

  private Asciicast() {}

  /** The asciicast v2 text for a session's start and its timeline. */
  public static String export(SessionStarted start, List<AuditRecord> timeline) {
    ObjectNode header = JsonNodeFactory.instance.objectNode();
    header.put("version", 2);
    SessionStarted.Terminal terminal = start == null ? null : start.terminal();
    header.put("width", terminal == null ? 80 : terminal.width());
    header.put("height", terminal == null ? 24 : terminal.height());
    if (start != null && start.startedAt() != null) {
      header.put("timestamp", start.startedAt().getEpochSecond());
      header.put("title", start.identity().subject() + "@" + start.target() + " " + start.sessionId());
    }
    if (terminal != null && terminal.term() != null) {
      header.putObject("env").put("TERM", terminal.term());
    }
    StringBuilder out = new StringBuilder(CanonicalJson.of(header)).append('\n');
    for (AuditRecord record : timeline) {
      if (record.event() instanceof TerminalOutput t) {
        ArrayNode event = JsonNodeFactory.instance.arrayNode();
        // asciicast times are seconds as a float; six decimals keep the microseconds.
        event.add(new java.math.BigDecimal(String.format(Locale.ROOT, "%.6f", t.elapsedUs() / 1e6)));
        event.add(t.stream());
        event.add(t.data());
        out.append(CanonicalJson.of(event)).append('\n');
      }
    }
    return out.toString();
  }
}
