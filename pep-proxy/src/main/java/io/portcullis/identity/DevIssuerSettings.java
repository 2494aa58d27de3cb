package io.portcullis.identity;

/**
 * The development token issuer: a local signing key and a JWKS endpoint on loopback, for demos
 * and tests only.
 *
 * @param enabled whether to start it
 * @param listen loopback {@code host:port} for its JWKS endpoint (port 0 for any free port)
 * @param keyFile where the signing key (a private JWK) is kept, mode 0600
 * @param defaultTtlS lifetime of minted tokens, default 900
 */
public record DevIssuerSettings(boolean enabled, String listen, String keyFile, Integer defaultTtlS) {

  public DevIssuerSettings {
    listen = listen == null ? "127.0.0.1:8089" : listen;
    keyFile = keyFile == null ? "data/dev-issuer.jwk" : keyFile;
    defaultTtlS = defaultTtlS == null ? 900 : defaultTtlS;
  }
}
