package io.portcullis.protocol.k8s;

import static java.util.Objects.requireNonNull;

/**
 * A Kubernetes API request the gateway refuses to interpret: its path or query could be read in
 * more than one way (encoded slashes, dot or empty segments, bad escapes), or it is too long.
 *
 * <p>Messages follow the house form, for example {@code request target: 9000 bytes (expected: <=
 * 8192)}. They describe structure only and never quote the request, so they are safe to log and to
 * send back in a Kubernetes {@code Status} with reason {@code BadRequest}.
 */
public class K8sRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public K8sRequestException(String message) {
    super(requireNonNull(message, "message"));
  }
}
