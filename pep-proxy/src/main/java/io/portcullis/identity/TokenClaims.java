package io.portcullis.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads groups and the configured claims out of a verified claims set. */
final class TokenClaims {

  private static final Logger log = LoggerFactory.getLogger(TokenClaims.class);

  private TokenClaims() {}

  /**
   * The groups: a JSON array of strings, or one string of space-separated names (as OAuth's
   * {@code scope}). Anything else yields no groups rather than a guess.
   */
  static List<String> groups(JWTClaimsSet claims, String claimName) {
    Object value = claims.getClaim(claimName);
    if (value == null) {
      return List.of();
    }
    if (value instanceof String s) {
      return List.of(s.strip().isEmpty() ? new String[0] : s.strip().split("\\s+"));
    }
    if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      return list.stream().map(String.class::cast).toList();
    }
    log.debug(
        "token claim {} is neither a list of strings nor a string; no groups taken from it",
        SafeText.of(claimName));
    return List.of();
  }

  /** The named claims that are present, as plain immutable JSON values. */
  static Map<String, Object> selected(JWTClaimsSet claims, List<String> names) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String name : names) {
      Object value = claims.getClaim(name);
      if (value != null) {
        out.put(name, plain(value));
      }
    }
    return out;
  }

  private static Object plain(Object value) {
    if (value instanceof Date date) {
      return date.toInstant(); // exp, nbf, iat come back from Nimbus as Date
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(item -> copy.add(item == null ? null : plain(item)));
      return Collections.unmodifiableList(copy);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), v == null ? null : plain(v)));
      return Collections.unmodifiableMap(copy);
    }
    return value; // String, Boolean, Number
  }
}
