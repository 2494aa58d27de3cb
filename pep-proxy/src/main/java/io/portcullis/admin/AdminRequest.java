package io.portcullis.admin;

import io.portcullis.document.Identity;
import io.portcullis.json.Json;
import java.io.IOException;
import java.util.Map;

/**
 * One admin API request as a route sees it.
 *
 * @param method the HTTP method
 * @param path the decoded path, without query
 * @param params the values of the route's {@code {name}} path segments
 * @param query the decoded query parameters (the first value of each)
 * @param body the request body, at most {@link AdminServer#MAX_BODY_BYTES}
 * @param caller the verified caller, or null on a route that needs no token
 */
public record AdminRequest(String method, String path, Map<String, String> params,
    Map<String, String> query, byte[] body, Identity caller) {

  public AdminRequest {
    params = Map.copyOf(params);
    query = Map.copyOf(query);
    body = body == null ? new byte[0] : body;
  }

  /**
   * The body as JSON of type {@code type}, or null when the body is empty.
   *
   * @throws AdminException 400 when the body is not such JSON
   */
  public <T> T json(Class<T> type) {
    if (body.length == 0) {
      return null;
    }
    try {
      return Json.mapper().readValue(body, type);
    } catch (IOException e) {
      throw new AdminException(400, "body: not a valid JSON object for this request");
    }
  }
}
