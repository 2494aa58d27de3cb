package io.portcullis.protocol.pg;

/** A PostgreSQL protocol violation: malformed, oversized or unexpected bytes from a peer. */
public final class PgProtocolException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final String sqlState;

  public PgProtocolException(String message) {
    this("08P01", message);
  }

  public PgProtocolException(String sqlState, String message) {
    super(message);
    this.sqlState = sqlState;
  }

  /** The SQLSTATE to report, {@code 08P01} (protocol_violation) unless said otherwise. */
  public String sqlState() {
    return sqlState;
  }
}
