package io.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsciicastTest {

  @Test
  void exportsHeaderAndOneEventLinePerTerminalRecord() throws Exception {
    SessionStarted start = TestLogs.start("ses_t", "alice").withTerminal(new SessionStarted.Terminal(120, 40, "xterm-256color"));
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    List<AuditRecord> timeline = List.of(
        new AuditRecord(1, t0, Chain.ZERO, start, "h1"),
        new AuditRecord(2, t0, "h1", new TerminalOutput("ses_t", 250_000, "o", "$ "), "h2"),
        new AuditRecord(3, t0, "h2", new TerminalOutput("ses_t", 1_000_001, "i", "ls\r"), "h3"),
        new AuditRecord(4, t0, "h3", new TerminalOutput("ses_t", 1_500_000, "o", "a\u001b[0m\tb\r\n"), "h4"),
        new AuditRecord(5, t0, "h4", new TerminalOutput("ses_t", 2_000_000, "r", "100x30"), "h5"),
        new AuditRecord(6, t0, "h5", new SessionEnded("ses_t", 2000, "client_closed", null, 0, 0, 0), "h6"));
    String cast = Asciicast.export(start, timeline);
    List<String> lines = cast.lines().toList();
    assertThat(lines).containsExactly(
        "{\"env\":{\"TERM\":\"xterm-256color\"},\"height\":40,\"timestamp\":1767225600,"
            + "\"title\":\"alice@demo ses_t\",\"version\":2,\"width\":120}",
        "[0.250000,\"o\",\"$ \"]",
        "[1.000001,\"i\",\"ls\\r\"]",
        "[1.500000,\"o\",\"a\\u001B[0m\\tb\\r\\n\"]",
        "[2.000000,\"r\",\"100x30\"]");
    assertThat(cast).endsWith("\n");
    // Every line is JSON as asciicast v2 requires: an object header, then [time, code, data] arrays.
    JsonNode header = Json.mapper().readTree(lines.get(0));
    assertThat(header.path("version").asInt()).isEqualTo(2);
    for (String line : lines.subList(1, lines.size())) {
      JsonNode event = Json.mapper().readTree(line);
      assertThat(event.isArray()).isTrue();
      assertThat(event).hasSize(3);
      assertThat(event.get(0).isNumber()).isTrue();
    }
  }

  @Test
  void sessionWithoutTerminalInfoGets80By24() {
    String cast = Asciicast.export(TestLogs.start("ses_x", "bob"), List.of());
    assertThat(cast).contains("\"height\":24").contains("\"width\":80");
  }
}
