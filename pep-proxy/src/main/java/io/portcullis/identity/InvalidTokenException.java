package io.portcullis.identity;

import static java.util.Objects.requireNonNull;

/**
 * A refusal of a client's token, with a message that says why and is safe to show the client.
 *
 * <p>The message never contains the token or its signature; values taken from the token (issuer,
 * audience, key id, ...) are shortened and stripped of control characters first.
 */
public final class InvalidTokenException extends Exception {

  private static final long serialVersionUID = 1L;

  /** A refusal with a client-safe message, for example {@code token signature is invalid}. */
  public InvalidTokenException(String message) {
    super(requireNonNull(message, "message"));
  }

  /** A refusal with a client-safe message; the cause is for the gateway's own diagnostics. */
  public InvalidTokenException(String message, Throwable cause) {
    super(requireNonNull(message, "message"), cause);
  }
}
