package io.portcullis.identity;

import io.portcullis.config.HostPort;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How client tokens are verified: the OIDC issuer, its JWKS, the accepted audiences and
 * algorithms, and which claims become the identity.
 *
 * @param issuer the exact {@code iss} required
 * @param audiences the token's {@code aud} must contain one of these
 * @param jwksUrl where the issuer's public keys are published (https in production)
 * @param algorithms accepted signature algorithms; asymmetric only
 * @param groupsClaim the claim that holds the groups
 * @param clockSkewS tolerated clock skew, at most 60 s
 * @param claims non-secret claims copied into the identity
 * @param jwksCacheTtlS how long fetched keys are trusted
 * @param jwksRefreshMinIntervalS at most one refetch per interval when a key id is unknown
 * @param maxTokenBytes tokens longer than this are refused before parsing
 * @param devIssuer the development issuer, or null
 */
public record IdentitySettings(String issuer, List<String> audiences, String jwksUrl,
    List<String> algorithms, String groupsClaim, Integer clockSkewS, List<String> claims,
    Integer jwksCacheTtlS, Integer jwksRefreshMinIntervalS, Integer maxTokenBytes,
    DevIssuerSettings devIssuer) {

  static final Set<String> ASYMMETRIC = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
      "ES256", "ES384", "ES512", "EdDSA");

  public IdentitySettings {
    audiences = audiences == null ? List.of() : List.copyOf(audiences);
    algorithms = algorithms == null ? List.of("RS256", "ES256") : List.copyOf(algorithms);
    groupsClaim = groupsClaim == null ? "groups" : groupsClaim;
    clockSkewS = clockSkewS == null ? 30 : clockSkewS;
    claims = claims == null ? List.of("email", "name") : List.copyOf(claims);
    jwksCacheTtlS = jwksCacheTtlS == null ? 300 : jwksCacheTtlS;
    jwksRefreshMinIntervalS = jwksRefreshMinIntervalS == null ? 30 : jwksRefreshMinIntervalS;
    maxTokenBytes = maxTokenBytes == null ? 8192 : maxTokenBytes;
  }

  private boolean devEnabled() {
    return devIssuer != null && devIssuer.enabled();
  }

  /**
   * The settings with issuer and JWKS URL taken from the development issuer where they are not
   * set: from the running issuer when given, else from its configured listen address.
   */
  public IdentitySettings withDevIssuer(DevIssuer running) {
    if (!devEnabled()) {
      return this;
    }
    String iss = issuer != null ? issuer : running != null ? running.issuer() : "http://" + devIssuer.listen();
    String jwks = jwksUrl != null ? jwksUrl : running != null ? running.jwksUrl()
        : iss + "/.well-known/jwks.json";
    return new IdentitySettings(iss, audiences, jwks, algorithms, groupsClaim, clockSkewS, claims,
        jwksCacheTtlS, jwksRefreshMinIntervalS, maxTokenBytes, devIssuer);
  }

  /** Checks the settings; the message names the setting. */
  public void validate() {
    if (audiences.isEmpty()) {
      throw new IllegalArgumentException("identity.audiences: empty (expected: at least one audience)");
    }
    if (!devEnabled() && (issuer == null || jwksUrl == null)) {
      throw new IllegalArgumentException(
          "identity: issuer and jwks_url are required unless dev_issuer is enabled");
    }
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("identity.algorithms: empty");
    }
    for (String alg : algorithms) {
      if (!ASYMMETRIC.contains(alg)) {
        String why = alg.toLowerCase(Locale.ROOT).equals("none") ? "unsigned tokens prove nothing"
            : alg.startsWith("HS") ? "a shared secret would let anyone holding it mint tokens"
            : "unknown algorithm";
        throw new IllegalArgumentException("identity.algorithms: " + alg
            + " is not allowed (" + why + "; expected one of " + ASYMMETRIC.stream().sorted().toList() + ")");
      }
    }
    if (clockSkewS < 0 || clockSkewS > 60) {
      throw new IllegalArgumentException("identity.clock_skew_s: " + clockSkewS + " (expected: 0..60)");
    }
    if (maxTokenBytes < 512 || maxTokenBytes > 65536) {
      throw new IllegalArgumentException("identity.max_token_bytes: " + maxTokenBytes + " (expected: 512..65536)");
    }
    if (devEnabled()) {
      HostPort listen = HostPort.parse("identity.dev_issuer.listen", devIssuer.listen());
      if (!listen.isLoopback()) {
        throw new IllegalArgumentException("identity.dev_issuer.listen: " + devIssuer.listen()
            + " (expected: a loopback address; the development issuer is never exposed)");
      }
    }
  }
}
