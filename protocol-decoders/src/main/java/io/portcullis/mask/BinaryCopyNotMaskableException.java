package io.portcullis.mask;

import io.portcullis.protocol.pg.PgProtocolException;

/**
 * Thrown when a COPY TO STDOUT whose columns must be masked uses the binary format, which the
 * gateway does not rewrite: the caller refuses the COPY with this exception's SQLSTATE
 * ({@code 0A000}, feature_not_supported) and message.
 */
public final class BinaryCopyNotMaskableException extends PgProtocolException {

  /** SQLSTATE {@code feature_not_supported}. */
  public static final String FEATURE_NOT_SUPPORTED = "0A000";

  private static final long serialVersionUID = 1L;

  public BinaryCopyNotMaskableException() {
    super(FEATURE_NOT_SUPPORTED,
        "COPY format: binary (expected: text or csv when the policy masks columns)");
  }
}
