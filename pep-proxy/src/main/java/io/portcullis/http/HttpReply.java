package io.portcullis.http;

import static java.util.Objects.requireNonNull;

/**
 * A complete answer the gateway sends itself, in the protocol's terms.
 *
 * @param status the HTTP status
 * @param contentType the Content-Type header value
 * @param body the body bytes
 */
public record HttpReply(int status, String contentType, byte[] body) {

  public HttpReply {
    requireNonNull(contentType, "contentType");
    requireNonNull(body, "body");
  }
}
