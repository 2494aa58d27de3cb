package io.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DevIssuerTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;

  private DevIssuerSettings settings() {
    return new DevIssuerSettings(true, "127.0.0.1:0", dir.resolve("a/b/key.jwk").toString(), null);
  }

  private static HttpResponse<String> get(String url) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePublicKeyAndTheOpenIdConfiguration() throws Exception {
    try (DevIssuer dev = DevIssuer.start(settings(), null, "portcullis")) {
      assertThat(dev.issuer()).matches("http://127\\.0\\.0\\.1:\\d+");
      assertThat(dev.jwksUrl()).isEqualTo(dev.issuer() + "/.well-known/jwks.json");

      HttpResponse<String> jwks = get(dev.jwksUrl());
      assertThat(jwks.statusCode()).isEqualTo(200);
      JsonNode key = Json.mapper().readTree(jwks.body()).get("keys").get(0);
      assertThat(key.get("kty").asText()).isEqualTo("EC");
      assertThat(key.get("crv").asText()).isEqualTo("P-256");
      assertThat(key.get("kid").asText()).isEqualTo(dev.keyId());
      assertThat(key.has("d")).as("private part must never be served").isFalse();

      JsonNode config =
          Json.mapper().readTree(get(dev.issuer() + "/.well-known/openid-configuration").body());
      assertThat(config.get("issuer").asText()).isEqualTo(dev.issuer());
      assertThat(config.get("jwks_uri").asText()).isEqualTo(dev.jwksUrl());
      assertThat(get(dev.issuer() + "/.well-known/jwks.json.bak").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void mintedTokensVerifyAgainstItsJwks() throws Exception {
    try (DevIssuer dev = DevIssuer.start(settings(), "https://dev.portcullis.test", "portcullis")) {
      JwtVerifier verifier =
          new JwtVerifier(IdentitySettings.of(dev.issuer(), List.of("portcullis"), dev.jwksUrl()));
      VerifiedToken token =
          verifier.verify(dev.mint("alice", List.of("dev", "dba"), Duration.ofMinutes(5)));
      assertThat(token.subject()).isEqualTo("alice");
      assertThat(token.issuer()).isEqualTo("https://dev.portcullis.test");
      assertThat(token.groups()).containsExactly("dev", "dba");
      assertThat(verifier.verify(dev.mint("bob", List.of(), null)).expiresAt())
          .isBetween(Instant.now().plusSeconds(890), Instant.now().plusSeconds(901));
    }
  }

  @Test
  void keyIsPersistedWithMode0600AndReusedAcrossRestarts() throws Exception {
    String first;
    String token;
    try (DevIssuer dev = DevIssuer.start(settings(), "https://dev.test", "portcullis")) {
      first = dev.keyId();
      token = dev.mint("alice", List.of(), Duration.ofMinutes(5));
    }
    Path keyFile = Path.of(settings().keyFile());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(keyFile)).contains("\"d\"");
    try (Stream<Path> files = Files.list(keyFile.getParent())) {
      assertThat(files).containsExactly(keyFile); // no temporary file left behind
    }

    try (DevIssuer again = DevIssuer.start(settings(), "https://dev.test", "portcullis")) {
      assertThat(again.keyId()).isEqualTo(first);
      JwtVerifier verifier =
          new JwtVerifier(IdentitySettings.of("https://dev.test", List.of("portcullis"),
              again.jwksUrl()));
      assertThat(verifier.verify(token).subject()).isEqualTo("alice");
    }
  }

  @Test
  void mintOfflineUsesThePersistedKey() throws Exception {
    try (DevIssuer dev = DevIssuer.start(settings(), null, "portcullis")) {
      String token =
          DevIssuer.mintOffline(Path.of(settings().keyFile()), dev.issuer(), "portcullis", "ci",
              List.of("ci"), Duration.ofMinutes(1));
      JwtVerifier verifier =
          new JwtVerifier(IdentitySettings.of(dev.issuer(), List.of("portcullis"), dev.jwksUrl()));
      assertThat(verifier.verify(token).groups()).containsExactly("ci");
    }
  }

  @Test
  void mintOfflineWithoutAKeyFailsClearly() {
    Path missing = dir.resolve("nope.jwk");
    assertThatThrownBy(
            () -> DevIssuer.mintOffline(missing, "http://x", "portcullis", "ci", List.of(),
                Duration.ofMinutes(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no dev issuer key at " + missing
            + "; start the gateway with identity.dev_issuer.enabled first");
  }

  @Test
  void corruptKeyFileFailsClearly() throws IOException {
    Path bad = dir.resolve("bad.jwk");
    Files.writeString(bad, "{\"kty\":\"EC\"}");
    assertThatThrownBy(
            () -> DevIssuer.mintOffline(bad, "http://x", "portcullis", "ci", List.of(),
                Duration.ofMinutes(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("dev issuer key at " + bad + " is not");
  }

  @Test
  void nonLoopbackListenAddressesAreRefused() {
    for (String listen : List.of("0.0.0.0:0", "192.0.2.1:8089", "example.com:8089", "[::]:0")) {
      DevIssuerSettings open = new DevIssuerSettings(true, listen, dir.resolve("k").toString(), 60);
      assertThatThrownBy(() -> DevIssuer.start(open, null, "portcullis"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a loopback address");
    }
    assertThat(dir.resolve("k")).doesNotExist();
  }

  @Test
  void ttlIsBounded() throws Exception {
    try (DevIssuer dev = DevIssuer.start(settings(), null, "portcullis")) {
      assertThatThrownBy(() -> dev.mint("a", List.of(), Duration.ofDays(2)))
          .hasMessage("ttl: 172800s (expected: 1..86400s)");
    }
  }

  @Test
  void closeStopsTheServer() throws Exception {
    DevIssuer dev = DevIssuer.start(settings(), null, "portcullis");
    String url = dev.jwksUrl();
    dev.close();
    assertThatThrownBy(() -> get(url)).isInstanceOf(IOException.class);
  }
}
