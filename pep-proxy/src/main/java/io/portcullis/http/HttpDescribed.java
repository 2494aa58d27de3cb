package io.portcullis.http;

import static java.util.Objects.requireNonNull;

import io.portcullis.document.ProtocolRequest;

/**
 * What an {@link HttpProtocol} makes of one request.
 *
 * @param request the {@code request} part of the request document
 * @param cacheKey what a decision marked cacheable may be reused for, besides identity and target:
 *     the normalised request ({@code GET /api/customers/42?a=1&b=2}); null when never cacheable
 * @param summary one line without secrets for the decision log and approvers, for example
 *     {@code DELETE /api/customers/42}
 * @param upgrade whether the request asks for an upgrade that the gateway will relay once allowed
 *     (the protocol decides it as it must: Kubernetes as {@code create})
 */
public record HttpDescribed(ProtocolRequest request, String cacheKey, String summary, boolean upgrade) {

  public HttpDescribed {
    requireNonNull(request, "request");
    requireNonNull(summary, "summary");
  }
}
