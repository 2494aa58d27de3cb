package io.portcullis.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a token's claims: Nimbus's {@link DefaultJWTClaimsVerifier} decides (exact {@code iss},
 * any configured {@code aud}, required {@code exp} and {@code sub}, {@code nbf}, clock skew), and
 * this class first explains a refusal in words a client understands. It also refuses an {@code
 * iat} in the future, which Nimbus does not check.
 */
final class ClaimsChecker implements JWTClaimsSetVerifier<SecurityContext> {

  /** A refusal whose message is already client-safe. */
  static final class Rejected extends BadJWTException {
    private static final long serialVersionUID = 1L;

    Rejected(String message) {
      super(message);
    }
  }

  private final String issuer;
  private final List<String> audiences;
  private final long skewMillis;
  private final Clock clock;
  private final DefaultJWTClaimsVerifier<SecurityContext> nimbus;

  ClaimsChecker(String issuer, List<String> audiences, int skewSeconds, Clock clock) {
    this.issuer = requireNonNull(issuer, "issuer");
    this.audiences = List.copyOf(audiences);
    this.skewMillis = skewSeconds * 1000L;
    this.clock = requireNonNull(clock, "clock");
    this.nimbus =
        new DefaultJWTClaimsVerifier<>(
            new HashSet<>(audiences),
            new JWTClaimsSet.Builder().issuer(issuer).build(),
            Set.of("iss", "sub", "aud", "exp"),
            Set.of()) {
          @Override
          protected Date currentTime() {
            return Date.from(clock.instant());
          }
        };
    nimbus.setMaxClockSkew(skewSeconds);
  }

  @Override
  public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
    String why = explain(claims, clock.instant());
    if (why != null) {
      throw new Rejected(why);
    }
    try {
      nimbus.verify(claims, context);
    } catch (BadJWTException e) {
      // Only reached if the two disagree, e.g. on a millisecond boundary: still a refusal.
      throw new Rejected("token claims are invalid (" + SafeText.of(e.getMessage()) + ")");
    }
  }

  private String explain(JWTClaimsSet claims, Instant now) {
    for (String name : List.of("iss", "sub", "aud", "exp")) {
      if (claims.getClaim(name) == null) {
        return "token has no " + name + " claim";
      }
    }
    if (!(claims.getClaim("iss") instanceof String iss) || !iss.equals(issuer)) {
      return "token issuer " + SafeText.of(claims.getClaim("iss")) + " is not " + issuer;
    }
    if (!(claims.getClaim("sub") instanceof String sub) || sub.isBlank()) {
      return "token sub claim is not a non-empty string";
    }
    List<String> aud = audience(claims.getClaim("aud"));
    if (aud == null) {
      return "token aud claim is not a string or a list of strings";
    }
    if (aud.stream().noneMatch(audiences::contains)) {
      return "token audience "
          + SafeText.list(aud)
          + " does not include "
          + (audiences.size() == 1 ? audiences.get(0) : "any of " + audiences);
    }
    Date exp = claims.getExpirationTime();
    if (exp.getTime() + skewMillis <= now.toEpochMilli()) {
      return "token expired at " + exp.toInstant();
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.getTime() - skewMillis >= now.toEpochMilli()) {
      return "token not valid before " + nbf.toInstant();
    }
    Date iat = claims.getIssueTime();
    if (iat != null && iat.getTime() - skewMillis > now.toEpochMilli()) {
      return "token issued in the future, at " + iat.toInstant();
    }
    return null;
  }

  private static List<String> audience(Object aud) {
    if (aud instanceof String s) {
      return List.of(s);
    }
    if (aud instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      return list.stream().map(String.class::cast).toList();
    }
    return null;
  }
}
