package io.portcullis.protocol.sftp;

import static java.util.Objects.requireNonNull;

/**
 * A violation of the SFTP protocol found while framing or decoding a packet.
 *
 * <p>Messages follow the house form, for example {@code length: 300000 (expected: <= 262144)}, and
 * describe structure only, never file names or data, so they are safe to log.
 */
public class SftpProtocolException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SftpProtocolException(String message) {
    super(requireNonNull(message, "message"));
  }
}
