package io.portcullis.audit;

/**
 * The audit store cannot record (disk full, unwritable, spool full, queue full): the action the
 * record is about must not go on. The gateway turns it into a protocol-native refusal.
 */
public final class AuditUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public AuditUnavailableException(String message) {
    super(message);
  }

  public AuditUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
