package io.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.portcullis.json.Json;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentitySettingsTest {

  /** Configured like {@link Json#mapper()}, reading YAML, as the gateway's config loader does. */
  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .build();

  private static IdentitySettings with(List<String> algorithms, Integer skew) {
    return new IdentitySettings("https://idp.test", List.of("portcullis"),
        "https://idp.test/jwks", algorithms, null, skew, null, null, null, null, null);
  }

  private static void assertInvalid(IdentitySettings settings, String message) {
    assertThatThrownBy(settings::validate)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void defaultsAreApplied() {
    IdentitySettings s = IdentitySettings.of("https://idp.test", List.of("portcullis"),
        "https://idp.test/jwks").validate();
    assertThat(s.algorithms()).containsExactly("RS256", "ES256");
    assertThat(s.groupsClaim()).isEqualTo("groups");
    assertThat(s.clockSkewS()).isEqualTo(30);
    assertThat(s.claims()).containsExactly("email", "name");
    assertThat(s.jwksCacheTtlS()).isEqualTo(300);
    assertThat(s.jwksRefreshMinIntervalS()).isEqualTo(30);
    assertThat(s.maxTokenBytes()).isEqualTo(8192);
    assertThat(s.devIssuer()).isNull();
  }

  @Test
  void mapsFromSnakeCaseYaml() throws Exception {
    String yaml = """
        issuer: https://idp.test
        audiences: [portcullis]
        jwks_url: https://idp.test/jwks
        algorithms: [PS256, ES384]
        groups_claim: roles
        clock_skew_s: 5
        claims: [email]
        jwks_cache_ttl_s: 600
        jwks_refresh_min_interval_s: 10
        max_token_bytes: 4096
        dev_issuer:
          listen: 127.0.0.1:9999
          key_file: /tmp/k.jwk
          default_ttl_s: 60
        """;
    IdentitySettings s = YAML.readValue(yaml, IdentitySettings.class).validate();
    assertThat(s)
        .isEqualTo(new IdentitySettings("https://idp.test", List.of("portcullis"),
            "https://idp.test/jwks", List.of("PS256", "ES384"), "roles", 5, List.of("email"), 600,
            10, 4096, new DevIssuerSettings(false, "127.0.0.1:9999", "/tmp/k.jwk", 60)));
  }

  @Test
  void mapsFromJsonWithTheSharedMapper() throws Exception {
    String json = "{\"issuer\":\"https://i\",\"audiences\":[\"p\"],\"jwks_url\":\"https://i/j\","
        + "\"clock_skew_s\":10,\"dev_issuer\":null}";
    IdentitySettings s = Json.mapper().readValue(json, IdentitySettings.class).validate();
    assertThat(s.jwksUrl()).isEqualTo("https://i/j");
    assertThat(s.clockSkewS()).isEqualTo(10);
  }

  @Test
  void devIssuerSuppliesIssuerAndJwksUrl() throws Exception {
    String yaml = """
        audiences: [portcullis]
        dev_issuer: {enabled: true}
        """;
    IdentitySettings s = YAML.readValue(yaml, IdentitySettings.class).validate();
    assertThat(s.issuer()).isEqualTo("http://127.0.0.1:8089");
    assertThat(s.jwksUrl()).isEqualTo("http://127.0.0.1:8089/.well-known/jwks.json");
    assertThat(s.devIssuer().keyFile()).isEqualTo(".portcullis/dev-issuer.jwk");
    assertThat(s.devIssuer().defaultTtlS()).isEqualTo(900);
  }

  @Test
  void issuerJwksUrlAndAudienceAreRequired() {
    assertInvalid(IdentitySettings.of(null, List.of("p"), "https://i/j"),
        "identity.issuer is required");
    assertInvalid(IdentitySettings.of("https://i", List.of("p"), null),
        "identity.jwks_url is required");
    assertInvalid(IdentitySettings.of("https://i", List.of(), "https://i/j"),
        "identity.audiences: at least one audience is required");
    assertInvalid(IdentitySettings.of("https://i", Arrays.asList((String) null), "https://i/j"),
        "identity.audiences: empty entry");
  }

  @Test
  void symmetricAlgorithmsAreRefusedWithTheReason() {
    assertInvalid(with(List.of("RS256", "HS256"), null),
        "identity.algorithms: HS256 is a symmetric (HMAC) algorithm and is not allowed: keys come"
            + " from a public JWKS, and accepting HMAC would let anyone who has a public key forge"
            + " tokens");
  }

  @Test
  void noneIsRefused() {
    assertInvalid(with(List.of("none"), null),
        "identity.algorithms: none is never allowed: an unsigned token proves nothing");
  }

  @Test
  void unknownAndUnsupportedAlgorithmsAreRefused() {
    assertInvalid(
        with(List.of("RS1"), null), "identity.algorithms: RS1 (expected: one of [ES256, ES384");
    assertInvalid(with(List.of("EdDSA"), null), "EdDSA is not supported by this build");
    assertInvalid(with(List.of(), null), "at least one algorithm is required");
  }

  @Test
  void clockSkewIsBounded() {
    assertInvalid(with(null, 120), "identity.clock_skew_s: 120 (expected: 0..60)");
    assertInvalid(with(null, -1), "identity.clock_skew_s: -1 (expected: 0..60)");
    assertThat(with(null, 0).validate().clockSkewS()).isZero();
    assertThat(with(null, 60).validate().clockSkewS()).isEqualTo(60);
  }

  @Test
  void plainHttpJwksIsOnlyAllowedOnLoopback() {
    assertInvalid(IdentitySettings.of("https://i", List.of("p"), "http://idp.test/jwks"),
        "identity.jwks_url: http://idp.test/jwks must use https; plain http is only allowed on"
            + " loopback");
    assertInvalid(IdentitySettings.of("https://i", List.of("p"), "ftp://idp.test/jwks"),
        "(expected: an https:// URL)");
    IdentitySettings.of("https://i", List.of("p"), "http://127.0.0.1:1/jwks").validate();
    IdentitySettings.of("https://i", List.of("p"), "http://[::1]:1/jwks").validate();
    IdentitySettings.of("https://i", List.of("p"), "http://localhost:1/jwks").validate();
  }

  @Test
  void otherLimitsAreBounded() {
    IdentitySettings tooFrequent = new IdentitySettings("https://i", List.of("p"), "https://i/j",
        null, null, null, null, 10, 20, null, null);
    assertInvalid(tooFrequent, "identity.jwks_refresh_min_interval_s: 20 (expected: 1..10)");
    IdentitySettings tooBig = new IdentitySettings("https://i", List.of("p"), "https://i/j",
        null, null, null, null, null, null, 1_000_000, null);
    assertInvalid(tooBig, "identity.max_token_bytes: 1000000 (expected: 256..65536)");
  }

  @Test
  void devIssuerSettingsAreChecked() {
    IdentitySettings open = new IdentitySettings(null, List.of("p"), null, null, null, null, null,
        null, null, null, new DevIssuerSettings(true, "0.0.0.0:8089", null, null));
    assertInvalid(open, "dev_issuer.listen host 0.0.0.0 is not a loopback address");
    assertInvalid(new IdentitySettings(null, List.of("p"), null, null, null, null, null,
        null, null, null, new DevIssuerSettings(true, null, null, 0)),
        "dev_issuer.default_ttl_s: 0 (expected: 1..86400)");
  }
}
