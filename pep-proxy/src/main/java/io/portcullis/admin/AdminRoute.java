package io.portcullis.admin;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One endpoint of the admin API: a method, a path template whose {@code {name}} segments match
 * any one segment, and its handler. Routes need a verified bearer token unless made with {@link
 * #open}.
 *
 * @param method {@code GET}, {@code POST}, ...
 * @param path a template such as {@code /api/v1/approvals/{id}/approve}
 * @param authenticated whether a verified token is required
 * @param handler what answers
 */
public record AdminRoute(String method, String path, boolean authenticated, Handler handler) {

  /** Answers one request; throw {@link AdminException} for a refusal. */
  @FunctionalInterface
  public interface Handler {
    AdminResponse handle(AdminRequest request) throws Exception;
  }

  public AdminRoute {
    requireNonNull(method, "method");
    requireNonNull(path, "path");
    requireNonNull(handler, "handler");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path: " + path + " (expected: starts with /)");
    }
  }

  /** A GET route that needs a token. */
  public static AdminRoute get(String path, Handler handler) {
    return new AdminRoute("GET", path, true, handler);
  }

  /** A POST route that needs a token. */
  public static AdminRoute post(String path, Handler handler) {
    return new AdminRoute("POST", path, true, handler);
  }

  /** A GET route that needs no token, such as a health check. */
  public static AdminRoute open(String path, Handler handler) {
    return new AdminRoute("GET", path, false, handler);
  }

  /** The path's segments. */
  List<String> segments() {
    return PathTemplate.segments(path);
  }
}
