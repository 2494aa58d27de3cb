package io.portcullis.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * A JWKS source that fetches at most once per interval, except for the very first fetch.
 *
 * <p>It sits below the key cache, so it only sees fetches the cache asks for: the first load,
 * reloads after the cache's time to live, and refetches for an unknown key id. Nimbus's own rate
 * limiter allows two fetches per interval; this one allows one, so a client that sends tokens with
 * random key ids makes the gateway fetch the JWKS at most once per interval. The first fetch is
 * free so that a key rotated right after startup is still picked up at once. Failed fetches count
 * too: an unreachable JWKS is not retried on every login.
 */
final class RefetchLimitedJwkSetSource<C extends SecurityContext> implements JWKSetSource<C> {

  private final JWKSetSource<C> source;
  private final long minIntervalMillis;
  private final LongSupplier clockMillis;
  private boolean first = true;
  private long nextAllowedMillis = Long.MIN_VALUE;

  RefetchLimitedJwkSetSource(JWKSetSource<C> source, long minIntervalMillis, LongSupplier clock) {
    this.source = requireNonNull(source, "source");
    this.minIntervalMillis = minIntervalMillis;
    this.clockMillis = requireNonNull(clock, "clock");
  }

  @Override
  public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long currentTime, C context)
      throws KeySourceException {
    long now = clockMillis.getAsLong();
    synchronized (this) {
      if (first) {
        first = false;
      } else if (now < nextAllowedMillis) {
        throw new RateLimitReachedException();
      } else {
        nextAllowedMillis = now + minIntervalMillis;
      }
    }
    return source.getJWKSet(evaluator, currentTime, context);
  }

  @Override
  public void close() throws IOException {
    source.close();
  }
}
