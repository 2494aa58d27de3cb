package io.portcullis.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.portcullis.policy.Decision;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Which headers pass the gateway, in each direction. */
final class HttpHeaderRules {

  /** Hop-by-hop headers (RFC 9110 7.6.1 and their old spellings): never forwarded. */
  static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
      "trailer", "transfer-encoding", "upgrade", "proxy-authorization", "proxy-authenticate");

  /**
   * Method override headers: frameworks that honour them would run another method than the one
   * decided, so they are never forwarded (nor shown to the policy).
   */
  static final Set<String> METHOD_OVERRIDE = Set.of("x-http-method-override", "x-http-method",
      "x-method-override");

  /** Headers the policy never sees. */
  private static final Set<String> SECRET = Set.of("authorization", "cookie", "proxy-authorization");

  /** Headers a decision may not add or remove: the gateway owns them. */
  private static final Set<String> GATEWAY_OWNED = Set.of("authorization", "host", "content-length",
      "transfer-encoding", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "expect");

  private HttpHeaderRules() {}

  /** The header names the Connection header lists (they are hop-by-hop too), lower-case. */
  static Set<String> connectionTokens(HttpHeaders headers) {
    Set<String> tokens = new HashSet<>();
    for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        String t = token.strip().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
          tokens.add(t);
        }
      }
    }
    return tokens;
  }

  /** Whether a request header (lower-case name) is dropped before forwarding and deciding. */
  static boolean dropped(String name, Set<String> connectionTokens, HttpProtocol protocol) {
    return HOP_BY_HOP.contains(name) || connectionTokens.contains(name) || name.startsWith("x-http2-")
        || METHOD_OVERRIDE.contains(name) || protocol.strips(name);
  }

  /** The request headers for the policy: lower-case names, no secrets, nothing dropped. */
  static Map<String, List<String>> forDocument(HttpHeaders headers, HttpProtocol protocol) {
    Set<String> tokens = connectionTokens(headers);
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : headers) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (SECRET.contains(name) || dropped(name, tokens, protocol) || name.equals("expect")) {
        continue;
      }
      out.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(e.getValue());
    }
    out.replaceAll((k, v) -> List.copyOf(v));
    return out;
  }

  /**
   * Checks a decision's header changes.
   *
   * @throws IllegalArgumentException for a change the gateway does not allow a policy to make
   */
  static void check(Decision.HeaderChanges changes) {
    if (changes == null) {
      return;
    }
    for (String name : changes.add().keySet()) {
      checkName(name, "add");
    }
    for (String name : changes.remove()) {
      checkName(name, "remove");
    }
  }

  private static void checkName(String name, String what) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.isEmpty() || !n.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
      throw new IllegalArgumentException("headers." + what + ": " + name + " (expected: a header name)");
    }
    if (GATEWAY_OWNED.contains(n) || HOP_BY_HOP.contains(n)) {
      throw new IllegalArgumentException("headers." + what + ": " + name
          + " (expected: a header the gateway does not own)");
    }
  }

  /** Removes hop-by-hop headers from a response before it goes to the client. */
  static void cleanResponse(HttpHeaders headers, boolean keepUpgrade) {
    Set<String> tokens = connectionTokens(headers);
    for (String t : tokens) {
      if (!(keepUpgrade && t.equals("upgrade"))) {
        headers.remove(t);
      }
    }
    for (String h : HOP_BY_HOP) {
      if (keepUpgrade && (h.equals("upgrade") || h.equals("connection"))) {
        continue;
      }
      if (!h.equals("transfer-encoding")) {
        headers.remove(h);
      }
    }
  }
}
