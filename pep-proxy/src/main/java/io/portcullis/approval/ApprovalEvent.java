package io.portcullis.approval;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** One change to an approval request, as a store records it: created, then resolved once. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ApprovalEvent.Created.class, name = "created"),
  @JsonSubTypes.Type(value = ApprovalEvent.Resolved.class, name = "resolved")
})
public sealed interface ApprovalEvent {

  /** The id of the request this event is about. */
  String id();

  /**
   * A request was held; carries the whole pending request.
   *
   * @param request the request as created
   */
  record Created(ApprovalRequest request) implements ApprovalEvent {
    public Created {
      requireNonNull(request, "request");
    }

    @Override
    public String id() {
      return request.id();
    }
  }

  /**
   * A pending request reached its outcome: approved, denied, expired or cancelled.
   *
   * @param id the request's id
   * @param outcome how it ended
   */
  record Resolved(String id, ApprovalOutcome outcome) implements ApprovalEvent {
    public Resolved {
      requireNonNull(id, "id");
      requireNonNull(outcome, "outcome");
    }
  }
}
