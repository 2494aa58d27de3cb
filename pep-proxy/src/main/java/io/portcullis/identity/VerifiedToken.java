package io.portcullis.identity;

import static java.util.Objects.requireNonNull;

import io.portcullis.document.Identity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a verified token says about its holder: subject, issuer, groups, the configured non-secret
 * claims, and when it stops being valid.
 *
 * @param subject the token's {@code sub}
 * @param issuer the token's {@code iss}
 * @param groups groups from the configured groups claim, never null
 * @param claims only the claims named in {@link IdentitySettings#claims()}, never null
 * @param expiresAt the token's {@code exp}
 */
public record VerifiedToken(
    String subject,
    String issuer,
    List<String> groups,
    Map<String, Object> claims,
    Instant expiresAt) {

  /** How the identity was established, as policies see it in {@code identity.method}. */
  public static final String METHOD = "oidc_jwt";

  public VerifiedToken {
    requireNonNull(subject, "subject");
    requireNonNull(issuer, "issuer");
    requireNonNull(expiresAt, "expiresAt");
    groups = groups == null ? List.of() : List.copyOf(groups);
    claims = claims == null ? Map.of() : Map.copyOf(claims);
  }

  /** The identity for the request document, with method {@code oidc_jwt}. */
  public Identity toIdentity() {
    return new Identity(subject, issuer, groups, claims, METHOD);
  }
}
