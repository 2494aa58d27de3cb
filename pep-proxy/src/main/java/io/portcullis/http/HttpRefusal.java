package io.portcullis.http;

/** A request the gateway refuses before asking the policy: it becomes a reply with this status. */
public final class HttpRefusal extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;

  /**
   * @param status the HTTP status, for example 400
   * @param error the short code for the reply body, for example {@code bad_request}
   * @param message what the client is told
   */
  public HttpRefusal(int status, String error, String message) {
    super(message, null, false, false);
    this.status = status;
    this.error = error;
  }

  /** A 400 with code {@code bad_request}. */
  public static HttpRefusal badRequest(String message) {
    return new HttpRefusal(400, "bad_request", message);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The short code for the reply body. */
  public String error() {
    return error;
  }
}
