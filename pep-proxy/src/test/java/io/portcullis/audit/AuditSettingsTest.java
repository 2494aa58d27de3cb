package io.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigLoader;
import io.portcullis.config.GatewayConfig;
import org.junit.jupiter.api.Test;

class AuditSettingsTest {

  private static final String BASE = """
      listen: {postgres: 127.0.0.1:0}
      identity: {audiences: [portcullis], dev_issuer: {enabled: true, listen: 127.0.0.1:0, key_file: /tmp/k.jwk}}
      opa: {url: http://127.0.0.1:8181}
      targets:
        - {name: demo, protocol: postgres, host: 127.0.0.1, port: 5432, database: demo, user: gw, password_env: PW}
      """;

  @Test
  void auditIsOnWithTheEmbeddedStoreByDefault() throws Exception {
    GatewayConfig config = ConfigLoader.parse("test", BASE);
    assertThat(config.audit().enabled()).isTrue();
    assertThat(config.audit().store()).isEqualTo("embedded");
    assertThat(config.audit().checkpointEveryRecords()).isEqualTo(1000);
    assertThat(config.audit().signingKey(java.nio.file.Path.of("data")))
        .isEqualTo(java.nio.file.Path.of("data/audit-signing.key"));
  }

  @Test
  void postgresStoreNeedsItsSettingsAndEveryProblemIsListed() {
    String bad = BASE + """
        audit:
          store: postgres
          checkpoint_every_records: 0
          postgres: {host: 127.0.0.1, chain: "no spaces"}
        """;
    assertThatThrownBy(() -> ConfigLoader.parse("test", bad))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).contains(
            "audit.checkpoint_every_records: 0 (expected: 1..10000000)",
            "audit.postgres.database: missing (expected: database or url)",
            "audit.postgres.user: missing",
            "audit.postgres.chain: no spaces (expected: 1..64 of A-Z a-z 0-9 _ . -)"));
  }

  @Test
  void unknownAuditKeyIsAnError() {
    assertThatThrownBy(() -> ConfigLoader.parse("test", BASE + "audit: {stor: postgres}\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("stor");
  }

  @Test
  void unknownStoreIsAnError() {
    assertThatThrownBy(() -> ConfigLoader.parse("test", BASE + "audit: {store: s3}\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .contains("audit.store: s3 (expected: embedded or postgres)"));
  }
}
