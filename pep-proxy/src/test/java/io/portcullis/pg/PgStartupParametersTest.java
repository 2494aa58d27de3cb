package io.portcullis.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.protocol.pg.StartupMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgStartupParametersTest {

  private static PgStartupParameters parse(String... kv) throws Exception {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      params.put(kv[i], kv[i + 1]);
    }
    return PgStartupParameters.of(new StartupMessage(196608, params));
  }

  @Test
  void psqlStartupIsAcceptedAndForcesUtf8() throws Exception {
    var p = parse("user", "alice", "database", "demo", "application_name", "psql",
        "client_encoding", "auto");
    assertThat(p.database()).isEqualTo("demo");
    assertThat(p.forwarded()).containsEntry("application_name", "psql")
        .containsEntry("client_encoding", "UTF8").doesNotContainKeys("user", "database");
  }

  @Test
  void databaseDefaultsToUser() throws Exception {
    assertThat(parse("user", "demo").database()).isEqualTo("demo");
  }

  @Test
  void optionsAreRefused() {
    assertThatThrownBy(() -> parse("user", "a", "options", "-c role=postgres"))
        .hasMessageContaining("'options' is not allowed");
  }

  @Test
  void emptyOptionsAreHarmless() throws Exception {
    assertThat(parse("user", "a", "options", " ").forwarded()).doesNotContainKey("options");
  }

  @Test
  void replicationIsRefused() {
    assertThatThrownBy(() -> parse("user", "a", "replication", "database"))
        .hasMessageContaining("replication connections are not allowed");
    assertThatThrownBy(() -> parse("user", "a", "replication", "true"))
        .hasMessageContaining("replication");
  }

  @Test
  void replicationFalseIsAccepted() throws Exception {
    assertThat(parse("user", "a", "replication", "false").forwarded()).doesNotContainKey("replication");
  }

  @Test
  void nonUtf8EncodingIsRefused() {
    assertThatThrownBy(() -> parse("user", "a", "client_encoding", "SJIS"))
        .isInstanceOf(PgRefusal.class)
        .hasMessageContaining("client_encoding SJIS");
  }

  @Test
  void searchPathAndUnknownParametersAreRefused() {
    assertThatThrownBy(() -> parse("user", "a", "search_path", "evil,public"))
        .hasMessageContaining("'search_path' is not allowed");
  }

  @Test
  void protocolOptionsAreReportedAsUnrecognized() throws Exception {
    assertThat(parse("user", "a", "_pq_.compression", "on").unrecognizedOptions())
        .containsExactly("_pq_.compression");
  }

  @Test
  void unsafeServerSettingsAreDetected() {
    assertThat(PgSafeSettings.violation("client_encoding", "UTF8")).isNull();
    assertThat(PgSafeSettings.violation("client_encoding", "LATIN1")).contains("LATIN1");
    assertThat(PgSafeSettings.violation("standard_conforming_strings", "on")).isNull();
    assertThat(PgSafeSettings.violation("standard_conforming_strings", "off")).contains("off");
    assertThat(PgSafeSettings.violation("TimeZone", "UTC")).isNull();
  }
}
