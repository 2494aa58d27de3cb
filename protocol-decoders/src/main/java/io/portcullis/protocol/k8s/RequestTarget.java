package io.portcullis.protocol.k8s;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request target in origin form ({@code /path?query}), split into decoded path segments
 * and a decoded query, read strictly so that the gateway and the API server cannot disagree about
 * it.
 *
 * <p>The API server (Go's {@code net/url}) percent-decodes the path before splitting it on
 * {@code /}, drops empty segments and leaves dot segments alone; a proxy in front may clean them.
 * Any of those could make the gateway decide on one resource while the server serves another, so
 * this refuses: encoded {@code /}, {@code \}, {@code %}, control and non-ASCII bytes in the path;
 * {@code .} and {@code ..} segments; empty segments (a single trailing {@code /} is kept as such);
 * {@code ;}, bad escapes and invalid UTF-8 in the query; and targets over {@link #MAX_BYTES}.
 *
 * @param path the decoded path, starting with {@code /}
 * @param segments the decoded path segments, none empty
 * @param trailingSlash whether the path ended with one {@code /} after its last segment
 * @param query the decoded query parameters in order of first appearance, values in order
 */
public record RequestTarget(
    String path, List<String> segments, boolean trailingSlash, Map<String, List<String>> query) {

  /** The longest request target accepted, in bytes (the API server's own limit is larger). */
  public static final int MAX_BYTES = 8192;

  /** The most path segments accepted. */
  public static final int MAX_SEGMENTS = 64;

  public RequestTarget {
    requireNonNull(path, "path");
    segments = List.copyOf(segments);
    Map<String, List<String>> copy = new LinkedHashMap<>();
    query.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    query = Collections.unmodifiableMap(copy);
  }

  /** The first value of a query parameter, or null. */
  public String first(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Every value of a query parameter, in order; empty when absent. */
  public List<String> all(String name) {
    return query.getOrDefault(name, List.of());
  }

  /**
   * Parses a request target as it arrived on the wire.
   *
   * @throws K8sRequestException when the target is ambiguous, malformed or too long
   */
  public static RequestTarget parse(String raw) {
    requireNonNull(raw, "raw");
    if (raw.length() > MAX_BYTES) {
      throw new K8sRequestException("request target: " + raw.length() + " bytes (expected: <= " + MAX_BYTES + ")");
    }
    if (raw.isEmpty() || raw.charAt(0) != '/') {
      throw new K8sRequestException("request target: not in origin form (expected: starts with /)");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c <= 0x20 || c >= 0x7F || c == '#' || c == '\\') {
        throw new K8sRequestException("request target: character 0x" + Integer.toHexString(c)
            + " at " + i + " (expected: visible ASCII other than # and \\)");
      }
    }
    int q = raw.indexOf('?');
    String rawPath = q < 0 ? raw : raw.substring(0, q);
    String rawQuery = q < 0 ? "" : raw.substring(q + 1);
    List<String> segments = new ArrayList<>();
    boolean trailingSlash = splitPath(rawPath, segments);
    StringBuilder path = new StringBuilder();
    for (String s : segments) {
      path.append('/').append(s);
    }
    if (trailingSlash || segments.isEmpty()) {
      path.append('/');
    }
    return new RequestTarget(path.toString(), segments, trailingSlash, parseQuery(rawQuery));
  }

  private static boolean splitPath(String rawPath, List<String> segments) {
    if (rawPath.equals("/")) {
      return false;
    }
    String body = rawPath.substring(1);
    boolean trailingSlash = body.endsWith("/");
    if (trailingSlash) {
      body = body.substring(0, body.length() - 1);
    }
    int start = 0;
    while (start <= body.length()) {
      int end = body.indexOf('/', start);
      if (end < 0) {
        end = body.length();
      }
      String raw = body.substring(start, end);
      if (raw.isEmpty()) {
        throw new K8sRequestException("path: empty segment at " + (segments.size() + 1) + " (expected: none)");
      }
      String segment = decodePathSegment(raw);
      if (segment.equals(".") || segment.equals("..")) {
        throw new K8sRequestException("path: dot segment at " + (segments.size() + 1) + " (expected: none)");
      }
      segments.add(segment);
      if (segments.size() > MAX_SEGMENTS) {
        throw new K8sRequestException("path: more than " + MAX_SEGMENTS + " segments (expected: <= " + MAX_SEGMENTS + ")");
      }
      start = end + 1;
    }
    return trailingSlash;
  }

  private static String decodePathSegment(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      int b = hexByte(raw, i, "path");
      if (b < 0x21 || b >= 0x7F || b == '/' || b == '\\' || b == '%' || b == '?' || b == '#') {
        throw new K8sRequestException("path: encoded byte 0x" + Integer.toHexString(b)
            + " (expected: visible ASCII other than / \\ % ? #)");
      }
      out.append((char) b);
      i += 2;
    }
    return out.toString();
  }

  private static int hexByte(String s, int percentAt, String where) {
    if (percentAt + 2 >= s.length()) {
      throw new K8sRequestException(where + ": truncated escape at " + percentAt + " (expected: %XX)");
    }
    int hi = Character.digit(s.charAt(percentAt + 1), 16);
    int lo = Character.digit(s.charAt(percentAt + 2), 16);
    if (hi < 0 || lo < 0) {
      throw new K8sRequestException(where + ": bad escape at " + percentAt + " (expected: %XX)");
    }
    return hi << 4 | lo;
  }

  /** Go's {@code url.ParseQuery}, except that what it would skip with an error is refused. */
  private static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    int start = 0;
    while (start < rawQuery.length()) {
      int end = rawQuery.indexOf('&', start);
      if (end < 0) {
        end = rawQuery.length();
      }
      String pair = rawQuery.substring(start, end);
      start = end + 1;
      if (pair.indexOf(';') >= 0) {
        throw new K8sRequestException("query: ; in a parameter (expected: & as the only separator)");
      }
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decodeQueryPart(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decodeQueryPart(pair.substring(eq + 1));
      query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return query;
  }

  private static String decodeQueryPart(String raw) {
    if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        bytes.write(hexByte(raw, i, "query"));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new K8sRequestException("query: invalid UTF-8 after decoding (expected: UTF-8)");
    }
  }

  /**
   * This target written back in a canonical origin form: every segment and query part
   * percent-encoded where needed, so that {@code parse(render())} equals this target.
   */
  public String render() {
    StringBuilder out = new StringBuilder();
    for (String s : segments) {
      out.append('/');
      encode(s, out, false);
    }
    if (trailingSlash || segments.isEmpty()) {
      out.append('/');
    }
    char sep = '?';
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      for (String v : e.getValue()) {
        out.append(sep);
        sep = '&';
        encode(e.getKey(), out, true);
        out.append('=');
        encode(v, out, true);
      }
    }
    return out.toString();
  }

  private static void encode(String s, StringBuilder out, boolean query) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~' || (!query && c == ':');
      if (plain) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
  }
}
