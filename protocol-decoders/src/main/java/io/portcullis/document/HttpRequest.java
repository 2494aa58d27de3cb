package io.portcullis.document;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as policies see it: one request through an {@code http} target.
 *
 * @param kind always {@code http}
 * @param method the request method, upper-case as sent ({@code GET}, {@code DELETE}, ...)
 * @param path the path, percent-decoded once and normalised (no dot segments, no empty segments);
 *     a path whose decoding was ambiguous never reaches a policy, it is refused with 400
 * @param query the query parameters, decoded, each name with its values in order; never null
 * @param headers selected request headers by lower-case name, values of repeated headers joined
 *     by {@code ", "}; never {@code authorization}, {@code cookie} or {@code proxy-authorization}
 * @param body the request body parsed as JSON, when its content type is JSON and it is at most
 *     {@code http.document_body_bytes}; else null
 * @param bodyBytes the body's length when known before forwarding (Content-Length, or the whole
 *     body was read), else null
 */
public record HttpRequest(
    String kind,
    String method,
    String path,
    Map<String, List<String>> query,
    Map<String, String> headers,
    Object body,
    Long bodyBytes)
    implements ProtocolRequest {

  /** The kind of every HTTP request. */
  public static final String KIND = "http";

  public HttpRequest {
    requireNonNull(kind, "kind");
    requireNonNull(method, "method");
    requireNonNull(path, "path");
    query = query == null ? Map.of() : copy(query);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> query) {
    // Insertion order is kept for a readable audit record; values are immutable.
    var out = new java.util.LinkedHashMap<String, List<String>>();
    query.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return java.util.Collections.unmodifiableMap(out);
  }
}
