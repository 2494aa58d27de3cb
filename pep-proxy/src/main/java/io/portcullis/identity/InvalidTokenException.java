package io.portcullis.identity;

/** A token the gateway refuses; the message says why and never contains the token. */
public final class InvalidTokenException extends Exception {

  private static final long serialVersionUID = 1L;

  public InvalidTokenException(String message) {
    super(message, null, false, false);
  }
}
