package io.portcullis.k8s;

import io.portcullis.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes {@code Status} object (kind Status, apiVersion v1) the gateway answers with when
 * it refuses a request itself: kubectl prints its reason and message, for example {@code Error from
 * server (Forbidden): delete in namespace prod is never allowed for agents}.
 */
final class K8sStatus {

  private K8sStatus() {}

  /** A failure Status as JSON bytes; {@code message} joins the reasons with "; ". */
  static byte[] failure(int code, List<String> reasons) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.put("metadata", Map.of());
    status.put("status", "Failure");
    status.put("message", String.join("; ", reasons));
    status.put("reason", reason(code));
    status.put("code", code);
    try {
      return Json.mapper().writeValueAsBytes(status);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Status reason the API server uses for an HTTP status (its {@code StatusReason}). */
  static String reason(int code) {
    return switch (code) {
      case 400, 414, 431 -> "BadRequest";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 405 -> "MethodNotAllowed";
      case 409 -> "Conflict";
      case 413 -> "RequestEntityTooLarge";
      case 415 -> "UnsupportedMediaType";
      case 429 -> "TooManyRequests";
      case 503 -> "ServiceUnavailable";
      case 504 -> "Timeout";
      default -> code >= 500 ? "InternalError" : "BadRequest";
    };
  }
}
