package io.portcullis.document;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * The verified identity of a client, as policies see it.
 *
 * @param subject the token's {@code sub}
 * @param issuer the token's {@code iss}
 * @param groups groups from the configured claim, never null
 * @param claims selected non-secret claims (email, name, ...), never null
 * @param method how the identity was established, for example {@code oidc_jwt}
 */
public record Identity(
    String subject, String issuer, List<String> groups, Map<String, Object> claims, String method) {

  public Identity {
    requireNonNull(subject, "subject");
    requireNonNull(method, "method");
    groups = List.copyOf(groups == null ? List.of() : groups);
    claims = Map.copyOf(claims == null ? Map.of() : claims);
  }
}
