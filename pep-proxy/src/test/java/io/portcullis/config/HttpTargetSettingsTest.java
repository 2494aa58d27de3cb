package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpTargetSettingsTest {

  private static final String BASE = """
      listen:
        postgres: 127.0.0.1:0
      identity:
        audiences: [portcullis]
        dev_issuer: {enabled: true, listen: 127.0.0.1:0, key_file: /tmp/k.jwk}
      opa:
        url: http://127.0.0.1:8181
      targets:
      """;

  @Test
  void anHttpTargetNeedsNoDatabaseAndReadsItsToken() throws Exception {
    GatewayConfig config = ConfigLoader.parse("test", BASE + """
          - {name: api, protocol: http, listen: 127.0.0.1:0, url: http://127.0.0.1:8080/base, bearer_token_env: T}
        http: {max_body_bytes: 1024, approval_wait_s: 5}
        """);
    TargetSettings api = config.target("api").orElseThrow();
    assertThat(api.bearerToken(Map.of("T", "tok\n"))).isEqualTo("tok");
    assertThat(api.listenAddress().port()).isZero();
    assertThat(config.http().maxBodyBytes()).isEqualTo(1024);
    assertThat(config.http().approvalWaitS()).isEqualTo(5);
    assertThat(config.http().maxHeaderBytes()).isEqualTo(16 << 10);
  }

  @Test
  void everyHttpProblemIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.parse("test", BASE + """
          - {name: api, protocol: http, url: 'ftp://x', bearer_token_env: A, bearer_token_file: /nonexistent, client_cert_file: /nonexistent}
          - {name: k, protocol: gopher}
        http: {max_header_bytes: 10}
        """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).contains(
            "targets[0].listen: missing (expected: host:port)",
            "targets[0].url: ftp://x (expected: http://host:port or https://host:port)",
            "targets[0].bearer_token_file: /nonexistent (expected: a readable file)",
            "targets[0]: set at most one of bearer_token_env and bearer_token_file",
            "targets[0]: set both client_cert_file and client_key_file, or neither",
            "targets[1].protocol: gopher (expected: postgres, http or kubernetes)",
            "http.max_header_bytes: 10 (expected: 1024..1048576)"));
  }
}
