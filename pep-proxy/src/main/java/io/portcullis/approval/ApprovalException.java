package io.portcullis.approval;

import static java.util.Objects.requireNonNull;

/**
 * A refused approval action, typed by why, with a message safe to show the person who tried. The
 * admin API answers {@link NotFound} with 404, {@link NotAllowed} with 403, {@link NotPending}
 * with 409 and {@link Expired} with 410.
 */
public abstract sealed class ApprovalException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private ApprovalException(String message) {
    super(requireNonNull(message, "message"), null, false, false);
  }

  /** No approval request has this id. */
  public static final class NotFound extends ApprovalException {
    private static final long serialVersionUID = 1L;

    NotFound(String id) {
      super("approval " + id + " not found");
    }
  }

  /** The identity may not decide this request: not an approver, or its own requester. */
  public static final class NotAllowed extends ApprovalException {
    private static final long serialVersionUID = 1L;

    NotAllowed(String message) {
      super(message);
    }
  }

  /** The request was already decided or cancelled. */
  public static final class NotPending extends ApprovalException {
    private static final long serialVersionUID = 1L;

    NotPending(String message) {
      super(message);
    }
  }

  /** The request expired before the decision arrived. */
  public static final class Expired extends ApprovalException {
    private static final long serialVersionUID = 1L;

    Expired(String message) {
      super(message);
    }
  }

  /** The decision could not be recorded durably, so it was not taken. */
  public static final class Unavailable extends ApprovalException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }
}
