package io.portcullis.config;

import java.util.List;

/**
 * Limits and timeouts of the HTTP gateway ({@code http} and {@code kubernetes} targets), the
 * {@code http:} section of the configuration.
 *
 * @param maxHeaderBytes largest request header block, default 16 KiB (larger: 431)
 * @param maxUrlBytes longest request line, default 8 KiB (longer: 414)
 * @param maxBodyBytes largest request body, default 10 MiB (larger: 413)
 * @param documentBodyBytes largest JSON request body put in the request document, default 16 KiB
 * @param maskMaxBytes largest response body the gateway masks, default 8 MiB; a response that must
 *     be masked and is larger is refused (502), never sent unmasked
 * @param approvalWaitS longest a request waits for an approval, default 300; a policy's
 *     {@code approval.timeout_s} is cut to it
 * @param connectTimeoutMs time to connect to the upstream, default 5000
 * @param idleTimeoutS a client or upstream connection with no traffic this long closes, default 300
 * @param poolIdleConnections idle upstream connections kept per target and event loop, default 32
 */
public record HttpSettings(
    Integer maxHeaderBytes,
    Integer maxUrlBytes,
    Long maxBodyBytes,
    Integer documentBodyBytes,
    Integer maskMaxBytes,
    Integer approvalWaitS,
    Integer connectTimeoutMs,
    Integer idleTimeoutS,
    Integer poolIdleConnections) {

  public HttpSettings {
    maxHeaderBytes = maxHeaderBytes == null ? 16 << 10 : maxHeaderBytes;
    maxUrlBytes = maxUrlBytes == null ? 8 << 10 : maxUrlBytes;
    maxBodyBytes = maxBodyBytes == null ? 10L << 20 : maxBodyBytes;
    documentBodyBytes = documentBodyBytes == null ? 16 << 10 : documentBodyBytes;
    maskMaxBytes = maskMaxBytes == null ? 8 << 20 : maskMaxBytes;
    approvalWaitS = approvalWaitS == null ? 300 : approvalWaitS;
    connectTimeoutMs = connectTimeoutMs == null ? 5000 : connectTimeoutMs;
    idleTimeoutS = idleTimeoutS == null ? 300 : idleTimeoutS;
    poolIdleConnections = poolIdleConnections == null ? 32 : poolIdleConnections;
  }

  /** All defaults. */
  public static HttpSettings defaults() {
    return new HttpSettings(null, null, null, null, null, null, null, null, null);
  }

  void validate(List<String> errors) {
    range(errors, "http.max_header_bytes", maxHeaderBytes, 1024, 1 << 20);
    range(errors, "http.max_url_bytes", maxUrlBytes, 256, 1 << 20);
    if (maxBodyBytes < 0) {
      errors.add("http.max_body_bytes: " + maxBodyBytes + " (expected: >= 0)");
    }
    range(errors, "http.document_body_bytes", documentBodyBytes, 0, 1 << 20);
    range(errors, "http.mask_max_bytes", maskMaxBytes, 1024, 1 << 30);
    range(errors, "http.approval_wait_s", approvalWaitS, 1, 86_400);
    range(errors, "http.connect_timeout_ms", connectTimeoutMs, 100, 120_000);
    range(errors, "http.idle_timeout_s", idleTimeoutS, 1, 86_400);
    range(errors, "http.pool_idle_connections", poolIdleConnections, 0, 10_000);
  }

  private static void range(List<String> errors, String name, int value, int min, int max) {
    if (value < min || value > max) {
      errors.add(name + ": " + value + " (expected: " + min + ".." + max + ")");
    }
  }
}
