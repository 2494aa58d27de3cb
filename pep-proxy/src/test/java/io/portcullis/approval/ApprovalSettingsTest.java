package io.portcullis.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigLoader;
import io.portcullis.config.GatewayConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ApprovalSettingsTest {

  private static final String BASE = """
      listen: {postgres: 127.0.0.1:0}
      identity: {issuer: https://idp.test, audiences: [portcullis],
                 jwks_url: http://127.0.0.1:1/jwks.json}
      opa: {url: http://127.0.0.1:8181}
      targets:
        - {name: demo, protocol: postgres, host: 127.0.0.1, port: 5432, database: demo, user: gw}
      """;

  @Test
  void bothSectionsAreOptionalWithDefaults() throws Exception {
    GatewayConfig config = ConfigLoader.parse("test", BASE);
    assertThat(config.admin().listen()).isNull();
    assertThat(config.approvals()).isEqualTo(ApprovalSettings.defaults());
    assertThat(config.approvals().defaultTimeoutS()).isEqualTo(900);
    assertThat(config.approvals().maxTimeoutS()).isEqualTo(3600);
    assertThat(config.approvals().timeoutS(null)).isEqualTo(900);
    assertThat(config.approvals().timeoutS(7200)).isEqualTo(3600);
  }

  @Test
  void everyKeyIsRead() throws Exception {
    GatewayConfig config = ConfigLoader.parse("test", BASE + """
        admin: {listen: 127.0.0.1:9090}
        approvals:
          default_timeout_s: 60
          max_timeout_s: 120
          public_url: https://admin.example.com/
          webhooks:
            - {url: https://hooks.example.com/T/B/secret, format: slack}
            - {url: http://127.0.0.1:8080/hook}
        """);
    assertThat(config.admin().listenAddress().port()).isEqualTo(9090);
    assertThat(config.approvals().publicUrl()).isEqualTo("https://admin.example.com");
    assertThat(config.approvals().webhooks()).containsExactly(
        new Webhook("https://hooks.example.com/T/B/secret", "slack"),
        new Webhook("http://127.0.0.1:8080/hook", "json"));
    assertThat(config.approvals().webhooks().get(0).safeName()).isEqualTo("https://hooks.example.com");
  }

  @Test
  void unknownKeysInTheNewSectionsAreErrors() {
    assertThatThrownBy(() -> ConfigLoader.parse("test", BASE + "admin: {listen: 127.0.0.1:1, tls: x}\n"))
        .hasMessageContaining("tls");
    assertThatThrownBy(() -> ConfigLoader.parse("test", BASE + "approvals: {timeout_s: 5}\n"))
        .hasMessageContaining("timeout_s");
    assertThatThrownBy(() -> ConfigLoader.parse("test", BASE
        + "approvals: {webhooks: [{url: 'https://h.example', colour: red}]}\n"))
        .hasMessageContaining("colour");
  }

  @Test
  void invalidValuesAreAllReportedWithoutSecretPaths() {
    assertThatThrownBy(() -> ConfigLoader.parse("test", BASE + """
        admin: {listen: nowhere}
        approvals:
          default_timeout_s: 7200
          public_url: ftp://x
          webhooks:
            - {url: 'https://hooks.example.com/T/B/secret', format: teams}
            - {url: 'file:///etc/passwd'}
        """)).isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).containsExactly(
              "admin.listen: nowhere (expected: host:port)",
              "approvals.default_timeout_s: 7200 (expected: 1..3600, at most approvals.max_timeout_s)",
              "approvals.webhooks[0].format: teams (expected: json or slack)",
              "approvals.webhooks[1].url: file:… (expected: an http:// or https:// URL)",
              "approvals.public_url: ftp://x (expected: an http:// or https:// URL)");
          assertThat(e.getMessage()).doesNotContain("secret");
        });
  }

  @Test
  void theExampleConfigDocumentsAndEnablesTheAdminApi() throws Exception {
    Path example = Path.of(System.getProperty("user.dir")).getParent().resolve("config/example.yaml");
    GatewayConfig config = ConfigLoader.load(example);
    assertThat(config.admin().listen()).isEqualTo("127.0.0.1:9090");
    assertThat(config.approvals().maxTimeoutS()).isEqualTo(3600);
  }
}
