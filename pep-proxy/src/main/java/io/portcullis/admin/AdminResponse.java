package io.portcullis.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.portcullis.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * What an admin route answers.
 *
 * @param status the HTTP status
 * @param contentType the body's media type
 * @param body the body bytes
 */
public record AdminResponse(int status, String contentType, byte[] body) {

  public AdminResponse {
    requireNonNull(contentType, "contentType");
    requireNonNull(body, "body");
  }

  /** A JSON body, serialised with the gateway's mapper (snake_case). */
  public static AdminResponse json(int status, Object value) {
    try {
      return new AdminResponse(status, "application/json", Json.mapper().writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /** A plain-text body. */
  public static AdminResponse text(int status, String text) {
    return new AdminResponse(status, "text/plain; charset=utf-8",
        text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code {"error": message}}. */
  public static AdminResponse error(int status, String message) {
    return json(status, new Error(message));
  }

  /** The error body. */
  record Error(String error) {}
}
