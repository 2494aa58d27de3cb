package io.portcullis.http;

import java.time.Instant;
import java.util.List;

/**
 * A protocol served through the HTTP gateway: what it makes of a request head for the policy,
 * and how the gateway answers in its terms. The gateway does everything else (TLS, HTTP/1.1 and
 * HTTP/2, limits, token, path normalisation, decision, approval, audit, forwarding, masking).
 *
 * <p>Implementations are stateless and thread-safe; every method runs on an event loop and must
 * not block. {@link PlainHttp} is the {@code http} protocol; {@code kubernetes} is the other.
 */
public interface HttpProtocol {

  /** The protocol's name: {@code SessionInfo.protocol} and the metrics label ({@code http}, ...). */
  String name();

  /**
   * Whether an inbound header is dropped before anything else sees it (the policy, the audit log
   * and the target); {@code name} is lower-case. Authorization, Cookie and hop-by-hop headers are
   * handled by the gateway, whatever this says.
   */
  boolean strips(String name);

  /**
   * Describes a request for its policy decision.
   *
   * @param head the request head, after normalisation and stripping, with the small body if read
   * @return the document's request part and what a cached decision may be reused for
   * @throws HttpRefusal when the request cannot be described; the client gets its status and message
   */
  HttpDescribed describe(HttpRequestHead head) throws HttpRefusal;

  /**
   * The body of an answer the gateway gives itself: a denial (403), an invalid token (401), a bad
   * or oversized request (400, 413, 414, 431), an unmaskable response (502), an unreachable target.
   *
   * @param status the HTTP status
   * @param error a short machine-readable code: {@code forbidden}, {@code unauthorized}, ...
   * @param reasons what the client is told, never empty
   */
  HttpReply reply(int status, String error, List<String> reasons);

  /**
   * Until when a response to this request may stream, or null for no limit beyond the gateway's
   * idle timeout. A Kubernetes watch ends when the token that opened it expires.
   *
   * @param described what {@link #describe} returned for the request
   * @param tokenExpiresAt when the client's token expires
   */
  Instant streamDeadline(HttpDescribed described, Instant tokenExpiresAt);
}
