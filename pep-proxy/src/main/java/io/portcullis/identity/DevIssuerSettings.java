package io.portcullis.identity;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * Settings of the development issuer ({@code identity.dev_issuer}): a loopback-only token issuer
 * for demos and tests, never for production.
 *
 * @param enabled whether the gateway starts the dev issuer
 * @param listen loopback {@code host:port} to serve the JWKS on; default {@code 127.0.0.1:8089}
 * @param keyFile where the EC signing key is persisted as a JWK, created with mode 0600 if
 *     missing; default {@code .portcullis/dev-issuer.jwk} (relative to the working directory)
 * @param defaultTtlS lifetime of minted tokens in seconds; default 900
 */
public record DevIssuerSettings(
    // An absent "enabled" means off, not a mapping error under FAIL_ON_NULL_FOR_PRIMITIVES.
    @JsonSetter(nulls = Nulls.AS_EMPTY) boolean enabled,
    String listen,
    String keyFile,
    Integer defaultTtlS) {

  /** Default listen address. */
  public static final String DEFAULT_LISTEN = "127.0.0.1:8089";

  /** Default key file, relative to the working directory. */
  public static final String DEFAULT_KEY_FILE = ".portcullis/dev-issuer.jwk";

  /** Default token lifetime in seconds. */
  public static final int DEFAULT_TTL_S = 900;

  /** Longest token lifetime a dev issuer hands out, in seconds (one day). */
  public static final int MAX_TTL_S = 86_400;

  public DevIssuerSettings {
    listen = listen == null || listen.isBlank() ? DEFAULT_LISTEN : listen.strip();
    keyFile = keyFile == null || keyFile.isBlank() ? DEFAULT_KEY_FILE : keyFile;
    defaultTtlS = defaultTtlS == null ? DEFAULT_TTL_S : defaultTtlS;
  }

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException with a message naming the offending setting
   */
  public DevIssuerSettings validate() {
    ListenAddress.parse(listen);
    if (defaultTtlS < 1 || defaultTtlS > MAX_TTL_S) {
      throw new IllegalArgumentException(
          "dev_issuer.default_ttl_s: " + defaultTtlS + " (expected: 1.." + MAX_TTL_S + ")");
    }
    return this;
  }

  /** {@code http://host:port} of the listen address (meaningful when the port is not 0). */
  public String baseUrl() {
    ListenAddress address = ListenAddress.parse(listen);
    return address.httpUrl(address.port());
  }
}
