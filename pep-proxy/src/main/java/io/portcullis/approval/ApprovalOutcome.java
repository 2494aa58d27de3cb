package io.portcullis.approval;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * How an approval request ended. The holder of the request lets it go on only for {@link
 * Approved}; every other outcome means the request never reaches its target.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "state")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ApprovalOutcome.Approved.class, name = "approved"),
  @JsonSubTypes.Type(value = ApprovalOutcome.Denied.class, name = "denied"),
  @JsonSubTypes.Type(value = ApprovalOutcome.Expired.class, name = "expired"),
  @JsonSubTypes.Type(value = ApprovalOutcome.Cancelled.class, name = "cancelled")
})
public sealed interface ApprovalOutcome {

  /** When the outcome was reached. */
  Instant at();

  /** The terminal state this outcome puts the request in. */
  @JsonIgnore
  default ApprovalState state() {
    return switch (this) {
      case Approved a -> ApprovalState.APPROVED;
      case Denied d -> ApprovalState.DENIED;
      case Expired e -> ApprovalState.EXPIRED;
      case Cancelled c -> ApprovalState.CANCELLED;
    };
  }

  /** A one-line description for people, for example {@code denied by bob: not now}. */
  @JsonIgnore
  default String describe() {
    return switch (this) {
      case Approved a -> "approved by " + a.by() + (a.comment() == null ? "" : ": " + a.comment());
      case Denied d -> "denied by " + d.by() + ": " + d.reason();
      case Expired e -> "expired at " + e.at();
      case Cancelled c -> "cancelled: " + c.reason();
    };
  }

  /** Who decided, as the audit log names actors ({@code user:SUBJECT}), or null for the clock or the client. */
  @JsonIgnore
  default String actor() {
    return switch (this) {
      case Approved a -> "user:" + a.by();
      case Denied d -> "user:" + d.by();
      case Expired e -> null;
      case Cancelled c -> null;
    };
  }

  /** What the decider said: the approver's comment, the denial's or cancellation's reason; or null. */
  @JsonIgnore
  default String detail() {
    return switch (this) {
      case Approved a -> a.comment();
      case Denied d -> d.reason();
      case Expired e -> null;
      case Cancelled c -> c.reason();
    };
  }

  /**
   * An approver let the request go on.
   *
   * @param by the approver's subject
   * @param at when
   * @param comment the approver's comment, or null
   */
  record Approved(String by, Instant at, String comment) implements ApprovalOutcome {
    public Approved {
      requireNonNull(by, "by");
      requireNonNull(at, "at");
    }
  }

  /**
   * An approver refused the request.
   *
   * @param by the approver's subject
   * @param at when
   * @param reason why, as the approver wrote it
   */
  record Denied(String by, Instant at, String reason) implements ApprovalOutcome {
    public Denied {
      requireNonNull(by, "by");
      requireNonNull(at, "at");
      requireNonNull(reason, "reason");
    }
  }

  /**
   * Nobody decided in time.
   *
   * @param at the request's expiry
   */
  record Expired(Instant at) implements ApprovalOutcome {
    public Expired {
      requireNonNull(at, "at");
    }
  }

  /**
   * The holder went away, or the request could not be recorded.
   *
   * @param at when
   * @param reason why, for example {@code client disconnected} or {@code gateway restarted}
   */
  record Cancelled(Instant at, String reason) implements ApprovalOutcome {
    public Cancelled {
      requireNonNull(at, "at");
      requireNonNull(reason, "reason");
    }
  }
}
