/**
 * Who a client is: verification of the OIDC JWT a client presents as its password, and a
 * development issuer for demos and tests.
 *
 * <p>{@link io.portcullis.identity.JwtVerifier} checks a token against an issuer's published keys
 * (JWKS) and turns it into an {@link io.portcullis.document.Identity}; {@link
 * io.portcullis.identity.DevIssuer} is a tiny loopback-only issuer with a persisted EC key. Tokens
 * are never logged and never appear in an exception message.
 */
package io.portcullis.identity;
