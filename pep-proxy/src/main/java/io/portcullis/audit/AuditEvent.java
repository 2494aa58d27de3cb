package io.portcullis.audit;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What one audit record says happened. The JSON {@code kind} names the event type; every event
 * but a checkpoint belongs to a session.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = SessionStarted.class, name = "session_start"),
  @JsonSubTypes.Type(value = RequestDecided.class, name = "request"),
  @JsonSubTypes.Type(value = RequestCompleted.class, name = "response"),
  @JsonSubTypes.Type(value = ApprovalEvent.class, name = "approval"),
  @JsonSubTypes.Type(value = AlertRaised.class, name = "alert"),
  @JsonSubTypes.Type(value = SessionEnded.class, name = "session_end"),
  @JsonSubTypes.Type(value = TerminalOutput.class, name = "terminal_output"),
  @JsonSubTypes.Type(value = Checkpoint.class, name = "checkpoint")
})
public sealed interface AuditEvent
    permits SessionStarted, RequestDecided, RequestCompleted, ApprovalEvent, AlertRaised,
        SessionEnded, TerminalOutput, Checkpoint {

  /** The session this event belongs to, or null for a checkpoint. */
  String sessionId();

  /** The JSON {@code kind} of an event. */
  static String kind(AuditEvent event) {
    return switch (event) {
      case SessionStarted e -> "session_start";
      case RequestDecided e -> "request";
      case RequestCompleted e -> "response";
      case ApprovalEvent e -> "approval";
      case AlertRaised e -> "alert";
      case SessionEnded e -> "session_end";
      case TerminalOutput e -> "terminal_output";
      case Checkpoint e -> "checkpoint";
    };
  }
}
