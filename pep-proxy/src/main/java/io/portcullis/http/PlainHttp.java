package io.portcullis.http;

import io.portcullis.document.HttpRequest;
import io.portcullis.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code http} protocol: any HTTP service, described as an {@link HttpRequest} ({@code kind:
 * "http"}); denials are {@code {"error": "forbidden", "reasons": [...]}}.
 */
public final class PlainHttp implements HttpProtocol {

  /** The one instance: it holds no state. */
  public static final PlainHttp INSTANCE = new PlainHttp();

  private PlainHttp() {}

  @Override
  public String name() {
    return "http";
  }

  @Override
  public boolean strips(String name) {
    return false;
  }

  @Override
  public HttpDescribed describe(HttpRequestHead head) {
    Map<String, String> headers = new LinkedHashMap<>();
    head.headers().forEach((name, values) -> headers.put(name, String.join(", ", values)));
    Object body = null;
    if (head.body() != null && HttpMedia.isJson(head.contentType())) {
      try {
        body = Json.mapper().readValue(head.body(), Object.class);
      } catch (IOException e) {
        body = null; // Not JSON after all: the policy sees body_bytes only.
      }
    }
    HttpRequest request = new HttpRequest(HttpRequest.KIND, head.method(), head.path(), head.query(),
        headers, body, head.bodyBytes());
    String summary = head.method() + " " + head.path();
    // A decision may be reused only for the same request without a body: the policy may read it.
    boolean bodiless = head.bodyBytes() != null && head.bodyBytes() == 0;
    String cacheKey = bodiless && head.upgrade() == null
        ? head.method() + " " + head.path() + "?" + head.sortedQuery() : null;
    return new HttpDescribed(request, cacheKey, summary, head.upgrade() != null);
  }

  @Override
  public HttpReply reply(int status, String error, List<String> reasons) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("reasons", reasons);
    try {
      return new HttpReply(status, "application/json", Json.mapper().writeValueAsBytes(body));
    } catch (IOException e) {
      return new HttpReply(status, "text/plain; charset=utf-8",
          (error + ": " + String.join("; ", reasons)).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public Instant streamDeadline(HttpDescribed described, Instant tokenExpiresAt) {
    return null;
  }
}
