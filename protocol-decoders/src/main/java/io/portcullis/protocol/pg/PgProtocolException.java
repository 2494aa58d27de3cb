package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

/**
 * A violation of the PostgreSQL v3 wire protocol found while framing or decoding a message.
 *
 * <p>Messages follow the house form, for example {@code length: 70000 (expected: <= 65536)}. They
 * describe structure only and never carry message contents, so they are safe to log and to send to
 * the client in an ErrorResponse. Thrown from a Netty decoder it reaches {@code exceptionCaught}
 * wrapped in a {@link io.netty.handler.codec.DecoderException} whose cause is this exception.
 */
public class PgProtocolException extends RuntimeException {

  /** SQLSTATE {@code protocol_violation}. */
  public static final String PROTOCOL_VIOLATION = "08P01";

  private static final long serialVersionUID = 1L;

  private final String sqlState;

  public PgProtocolException(String message) {
    this(PROTOCOL_VIOLATION, message);
  }

  public PgProtocolException(String sqlState, String message) {
    super(requireNonNull(message, "message"));
    this.sqlState = requireNonNull(sqlState, "sqlState");
  }

  /** The SQLSTATE to report to the client; {@code 08P01} (protocol_violation) unless given. */
  public String sqlState() {
    return sqlState;
  }
}
