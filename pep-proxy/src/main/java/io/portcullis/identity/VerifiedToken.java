package io.portcullis.identity;

import io.portcullis.document.Identity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a verified token says about its holder.
 *
 * @param subject {@code sub}
 * @param issuer {@code iss}
 * @param groups groups from the configured claim
 * @param claims the configured non-secret claims present in the token
 * @param expiresAt {@code exp}
 */
public record VerifiedToken(String subject, String issuer, List<String> groups,
    Map<String, Object> claims, Instant expiresAt) {

  /** The identity part of the request document. */
  public Identity toIdentity() {
    return new Identity(subject, issuer, groups, claims, "oidc_jwt");
  }
}
