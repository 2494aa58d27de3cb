package io.portcullis.admin;

import static java.util.Objects.requireNonNull;

/** A refusal an admin route answers with an HTTP status and {@code {"error": message}}. */
public final class AdminException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  /** A refusal with a 4xx or 5xx status and a message safe to show the caller. */
  public AdminException(int status, String message) {
    super(requireNonNull(message, "message"), null, false, false);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status: " + status + " (expected: 400..599)");
    }
    this.status = status;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }
}
