package io.portcullis.identity;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Settings of client identity ({@code identity} in the gateway's YAML): which issuer's JWTs to
 * accept, for which audiences, and where its keys are published.
 *
 * <p>Absent values take their defaults in the constructor, so the accessors never return null for
 * a defaulted setting. When the dev issuer is enabled, {@code issuer} and {@code jwks_url} default
 * to the dev issuer's ({@code http://<listen>} and {@code http://<listen>/.well-known/jwks.json}).
 * Production should publish its JWKS over https; plain http is accepted only on loopback.
 *
 * @param issuer the exact {@code iss} to accept
 * @param audiences accepted {@code aud} values; a token must name at least one
 * @param jwksUrl where the issuer's public keys are published
 * @param algorithms accepted signature algorithms, asymmetric only; default {@code [RS256, ES256]}
 * @param groupsClaim the claim holding the groups; default {@code groups}
 * @param clockSkewS tolerated clock difference in seconds, 0..60; default 30
 * @param claims non-secret claims copied into the identity; default {@code [email, name]}
 * @param jwksCacheTtlS how long fetched keys are trusted, in seconds; default 300
 * @param jwksRefreshMinIntervalS least time between refetches for an unknown key id; default 30
 * @param maxTokenBytes longest token accepted, checked before parsing; default 8192
 * @param devIssuer the development issuer, or null when off
 */
public record IdentitySettings(
    String issuer,
    List<String> audiences,
    String jwksUrl,
    List<String> algorithms,
    String groupsClaim,
    Integer clockSkewS,
    List<String> claims,
    Integer jwksCacheTtlS,
    Integer jwksRefreshMinIntervalS,
    Integer maxTokenBytes,
    DevIssuerSettings devIssuer) {

  /** The algorithms a verifier may accept: all asymmetric, so a public JWKS cannot forge. */
  public static final Set<String> ASYMMETRIC_ALGORITHMS =
      Set.of(
          "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");

  /** The asymmetric algorithms this build can verify: all but EdDSA. */
  public static final Set<String> SUPPORTED_ALGORITHMS =
      Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

  /** Path of the JWKS on the dev issuer. */
  static final String JWKS_PATH = "/.well-known/jwks.json";

  /** Largest accepted clock skew in seconds. */
  public static final int MAX_CLOCK_SKEW_S = 60;

  public IdentitySettings {
    boolean dev = devIssuer != null && devIssuer.enabled();
    if (dev && isBlank(issuer)) {
      issuer = devBaseUrlOrNull(devIssuer);
    }
    if (dev && isBlank(jwksUrl)) {
      String base = devBaseUrlOrNull(devIssuer);
      jwksUrl = base == null ? null : base + JWKS_PATH;
    }
    audiences = copy(audiences, List.of());
    algorithms = copy(algorithms, List.of("RS256", "ES256"));
    groupsClaim = isBlank(groupsClaim) ? "groups" : groupsClaim;
    clockSkewS = clockSkewS == null ? 30 : clockSkewS;
    claims = copy(claims, List.of("email", "name"));
    jwksCacheTtlS = jwksCacheTtlS == null ? 300 : jwksCacheTtlS;
    jwksRefreshMinIntervalS = jwksRefreshMinIntervalS == null ? 30 : jwksRefreshMinIntervalS;
    maxTokenBytes = maxTokenBytes == null ? 8192 : maxTokenBytes;
  }

  /**
   * The issuer a running development issuer should put in its tokens: the configured one, or null
   * when it is only the default derived from the listen address (whose port may be 0).
   */
  public String devIssuerUrl() {
    boolean dev = devIssuer != null && devIssuer.enabled();
    return dev && java.util.Objects.equals(issuer, devBaseUrlOrNull(devIssuer)) ? null : issuer;
  }

  /**
   * These settings with the issuer and JWKS URL that default to the development issuer taken from
   * the running one (its real port), so tokens it mints verify.
   */
  public IdentitySettings withDevIssuer(DevIssuer running) {
    if (running == null || devIssuer == null || !devIssuer.enabled()) {
      return this;
    }
    String base = devBaseUrlOrNull(devIssuer);
    String iss = java.util.Objects.equals(issuer, base) ? running.issuer() : issuer;
    String jwks = base != null && java.util.Objects.equals(jwksUrl, base + JWKS_PATH)
        ? running.jwksUrl() : jwksUrl;
    return new IdentitySettings(iss, audiences, jwks, algorithms, groupsClaim, clockSkewS, claims,
        jwksCacheTtlS, jwksRefreshMinIntervalS, maxTokenBytes, devIssuer);
  }

  /** Settings for one issuer with every other setting at its default. */
  public static IdentitySettings of(String issuer, List<String> audiences, String jwksUrl) {
    return new IdentitySettings(
        issuer, audiences, jwksUrl, null, null, null, null, null, null, null, null);
  }

  /**
   * Checks the settings, failing closed on anything a verifier could be tricked by.
   *
   * @return this, for chaining
   * @throws IllegalArgumentException with a message naming the offending setting
   */
  public IdentitySettings validate() {
    if (devIssuer != null && devIssuer.enabled()) {
      devIssuer.validate();
    }
    if (isBlank(issuer)) {
      throw new IllegalArgumentException(
          "identity.issuer is required (or enable identity.dev_issuer for a local issuer)");
    }
    validateJwksUrl();
    if (audiences.isEmpty()) {
      throw new IllegalArgumentException("identity.audiences: at least one audience is required");
    }
    audiences.forEach(a -> requireText(a, "identity.audiences"));
    validateAlgorithms();
    claims.forEach(c -> requireText(c, "identity.claims"));
    range("identity.clock_skew_s", clockSkewS, 0, MAX_CLOCK_SKEW_S);
    range("identity.jwks_cache_ttl_s", jwksCacheTtlS, 1, 86_400);
    range("identity.jwks_refresh_min_interval_s", jwksRefreshMinIntervalS, 1, jwksCacheTtlS);
    range("identity.max_token_bytes", maxTokenBytes, 256, 65_536);
    return this;
  }

  private void validateAlgorithms() {
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("identity.algorithms: at least one algorithm is required");
    }
    for (String alg : algorithms) {
      if (alg == null || alg.isBlank()) {
        throw new IllegalArgumentException("identity.algorithms: empty entry");
      }
      if (alg.equalsIgnoreCase("none")) {
        throw new IllegalArgumentException(
            "identity.algorithms: none is never allowed: an unsigned token proves nothing");
      }
      if (alg.toUpperCase(Locale.ROOT).startsWith("HS")) {
        throw new IllegalArgumentException(
            "identity.algorithms: "
                + alg
                + " is a symmetric (HMAC) algorithm and is not allowed: keys come from a public"
                + " JWKS, and accepting HMAC would let anyone who has a public key forge tokens"
                + " (expected: one of "
                + sorted(SUPPORTED_ALGORITHMS)
                + ")");
      }
      if (alg.equals("EdDSA")) {
        // Nimbus verifies Ed25519 only through Tink, which this build does not ship; failing
        // here beats refusing every EdDSA token later with a misleading "unknown key".
        throw new IllegalArgumentException(
            "identity.algorithms: EdDSA is not supported by this build yet (expected: one of "
                + sorted(SUPPORTED_ALGORITHMS)
                + ")");
      }
      if (!ASYMMETRIC_ALGORITHMS.contains(alg)) {
        throw new IllegalArgumentException(
            "identity.algorithms: "
                + alg
                + " (expected: one of "
                + sorted(SUPPORTED_ALGORITHMS)
                + ")");
      }
    }
  }

  private void validateJwksUrl() {
    if (isBlank(jwksUrl)) {
      throw new IllegalArgumentException(
          "identity.jwks_url is required (or enable identity.dev_issuer for a local issuer)");
    }
    URI uri;
    try {
      uri = URI.create(jwksUrl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("identity.jwks_url: " + jwksUrl + " is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException(
          "identity.jwks_url: " + jwksUrl + " (expected: an https:// URL)");
    }
    // Keys fetched over plain http from another machine could be swapped in transit.
    if (scheme.equals("http") && !isLoopbackLiteral(uri.getHost())) {
      throw new IllegalArgumentException(
          "identity.jwks_url: "
              + jwksUrl
              + " must use https; plain http is only allowed on loopback (dev and tests)");
    }
  }

  private static boolean isLoopbackLiteral(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (!(h.contains(":") || h.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
      return false; // a name: never resolved here
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String devBaseUrlOrNull(DevIssuerSettings dev) {
    try {
      return dev.baseUrl();
    } catch (IllegalArgumentException e) {
      return null; // validate() reports the bad listen address
    }
  }

  private static void range(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + ": " + value + " (expected: " + min + ".." + max + ")");
    }
  }

  private static void requireText(String value, String name) {
    if (isBlank(value)) {
      throw new IllegalArgumentException(name + ": empty entry");
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private static List<String> copy(List<String> list, List<String> fallback) {
    // Not List.copyOf: a null entry from YAML must reach validate() and its clear message.
    return list == null ? fallback : Collections.unmodifiableList(new ArrayList<>(list));
  }

  private static List<String> sorted(Set<String> set) {
    return set.stream().sorted().toList();
  }
}
