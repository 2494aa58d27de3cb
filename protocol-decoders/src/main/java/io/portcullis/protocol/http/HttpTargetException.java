package io.portcullis.protocol.http;

/** A request target the gateway refuses because its meaning is ambiguous or malformed (400). */
public final class HttpTargetException extends Exception {

  private static final long serialVersionUID = 1L;

  public HttpTargetException(String message) {
    super(message, null, false, false);
  }
}
