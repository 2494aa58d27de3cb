package io.portcullis.http;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A request as the gateway hands it to an {@link HttpProtocol}: checked, normalised, stripped.
 *
 * @param method the method as sent, for example {@code GET}
 * @param path the normalised, decoded path (see {@code HttpPath}); ambiguous paths never get here
 * @param rawPath the path as sent, still percent-encoded
 * @param query the decoded query parameters in order, never null
 * @param headers the request headers by lower-case name, values in order, without Authorization,
 *     Cookie, hop-by-hop and stripped headers; never null
 * @param upgrade the protocol of an HTTP/1.1 {@code Upgrade} request, lower-case ({@code websocket},
 *     {@code spdy/3.1}), or null: an upgrade request is decided once, then relayed as raw bytes
 * @param http2 whether the client speaks HTTP/2 on this stream
 * @param contentType the Content-Type's media type, lower-case without parameters, or null
 * @param body the whole body when it was small enough to read before deciding (at most
 *     {@code http.document_body_bytes}) and JSON, else null
 * @param bodyBytes the body's length when known before forwarding, else null
 */
public record HttpRequestHead(
    String method,
    String path,
    String rawPath,
    Map<String, List<String>> query,
    Map<String, List<String>> headers,
    String upgrade,
    boolean http2,
    String contentType,
    byte[] body,
    Long bodyBytes) {

  public HttpRequestHead {
    requireNonNull(method, "method");
    requireNonNull(path, "path");
    requireNonNull(rawPath, "rawPath");
    query = query == null ? Map.of() : query;
    headers = headers == null ? Map.of() : headers;
  }

  /** The first value of a header ({@code name} lower-case), or null. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The query with parameters sorted by name (values in order), as text: for cache keys. */
  public String sortedQuery() {
    StringBuilder out = new StringBuilder();
    query.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      for (String v : e.getValue()) {
        out.append(out.isEmpty() ? "" : "&").append(e.getKey()).append('=').append(v);
      }
    });
    return out.toString();
  }
}
