package io.portcullis.protocol.http;

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
 * The request target of an HTTP request ({@code /path?query}), decoded once and normalised so
 * that a policy on the path cannot be bypassed by another spelling of it.
 *
 * <p>Refused (so never decided): anything but origin form (a leading {@code /}); a fragment; raw
 * backslashes, control characters or spaces; malformed percent escapes; an encoded slash
 * ({@code %2F}), backslash ({@code %5C}), percent ({@code %25}: a second decoding would change the
 * path) or control character ({@code %00}); a semicolon, plain or encoded (servlet containers and
 * others cut path parameters {@code ;x} off a segment, so {@code /admin;x} and {@code ..;} would be
 * read two ways); dot segments ({@code .}, {@code ..}), plain or encoded;
 * bytes that are not UTF-8. Empty segments ({@code //}) are collapsed. The target forwarded
 * upstream is rebuilt from the decoded path, so the target sees exactly what the policy saw.
 *
 * @param path the decoded, normalised path, for the policy
 * @param forwardPath the same path re-encoded, sent upstream
 * @param rawQuery the query as sent (without {@code ?}), or null when there is none
 * @param query the decoded query parameters ({@code +} as space), names in order of appearance
 */
public record HttpTarget(String path, String forwardPath, String rawQuery, Map<String, List<String>> query) {

  private static final String HEX = "0123456789ABCDEF";

  /** The request target {@code forwardPath[?rawQuery]} to send upstream. */
  public String forwardTarget() {
    return rawQuery == null ? forwardPath : forwardPath + "?" + rawQuery;
  }

  /**
   * Parses and normalises a request target.
   *
   * @throws HttpTargetException saying what is ambiguous or malformed
   */
  public static HttpTarget parse(String target) throws HttpTargetException {
    if (target == null || target.isEmpty() || target.charAt(0) != '/') {
      throw new HttpTargetException("request target must start with / (origin form)");
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= 0x20 || c == 0x7f || c > 0x7e) {
        throw new HttpTargetException("request target holds a raw control, space or non-ASCII"
            + " character at " + i);
      }
      if (c == '#') {
        throw new HttpTargetException("request target holds a fragment (#)");
      }
    }
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    String rawQuery = q < 0 ? null : target.substring(q + 1);
    if (rawPath.indexOf('\\') >= 0) {
      throw new HttpTargetException("path holds a backslash");
    }
    List<String> segments = new ArrayList<>();
    int start = 1;
    while (start <= rawPath.length()) {
      int end = rawPath.indexOf('/', start);
      if (end < 0) {
        end = rawPath.length();
      }
      String raw = rawPath.substring(start, end);
      String decoded = decodeSegment(raw);
      if (decoded.indexOf(';') >= 0) {
        throw new HttpTargetException("path holds a path parameter (;), which upstreams read differently");
      }
      if (decoded.equals(".") || decoded.equals("..")) {
        throw new HttpTargetException("path holds a dot segment (" + raw + ")");
      }
      if (!decoded.isEmpty()) {
        segments.add(decoded);
      }
      start = end + 1;
    }
    boolean trailingSlash = rawPath.length() > 1 && rawPath.endsWith("/") && !segments.isEmpty();
    StringBuilder path = new StringBuilder();
    StringBuilder forward = new StringBuilder();
    for (String segment : segments) {
      path.append('/').append(segment);
      forward.append('/');
      encodeSegment(segment, forward);
    }
    if (segments.isEmpty() || trailingSlash) {
      path.append('/');
      forward.append('/');
    }
    return new HttpTarget(path.toString(), forward.toString(), rawQuery, parseQuery(rawQuery));
  }

  private static String decodeSegment(String raw) throws HttpTargetException {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    byte[] bytes = percentDecode(raw, false, "path");
    for (byte b : bytes) {
      switch (b) {
        case '/' -> throw new HttpTargetException("path holds an encoded slash (%2F)");
        case '\\' -> throw new HttpTargetException("path holds an encoded backslash (%5C)");
        case '%' -> throw new HttpTargetException("path holds an encoded percent (%25): double encoding");
        default -> { }
      }
    }
    return utf8(bytes, "path");
  }

  private static Map<String, List<String>> parseQuery(String rawQuery) throws HttpTargetException {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return Map.of();
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = utf8(percentDecode(eq < 0 ? pair : pair.substring(0, eq), true, "query"), "query");
      String value = eq < 0 ? "" : utf8(percentDecode(pair.substring(eq + 1), true, "query"), "query");
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    out.replaceAll((k, v) -> List.copyOf(v));
    return Collections.unmodifiableMap(out);
  }

  private static byte[] percentDecode(String s, boolean plusIsSpace, String part)
      throws HttpTargetException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new HttpTargetException(part + " holds a truncated percent escape");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new HttpTargetException(part + " holds a malformed percent escape ("
              + s.substring(i, i + 3) + ")");
        }
        int b = hi << 4 | lo;
        if (b < 0x20 || b == 0x7f) {
          throw new HttpTargetException(part + " holds an encoded control character (%"
              + s.substring(i + 1, i + 3) + ")");
        }
        out.write(b);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        out.write(' ');
      } else {
        out.write(c);
      }
    }
    return out.toByteArray();
  }

  private static String utf8(byte[] bytes, String part) throws HttpTargetException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new HttpTargetException(part + " is not UTF-8 once decoded");
    }
  }

  /** RFC 3986 pchar: unreserved, sub-delims, ':' and '@' stay; everything else is escaped. */
  private static void encodeSegment(String segment, StringBuilder out) {
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || "-._~!$&'()*+,;=:@".indexOf(c) >= 0;
      if (plain) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
      }
    }
  }
}
