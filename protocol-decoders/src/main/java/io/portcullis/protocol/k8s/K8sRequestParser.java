package io.portcullis.protocol.k8s;

import static java.util.Objects.requireNonNull;

import io.portcullis.protocol.k8s.K8sAttributes.StreamOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Computes a Kubernetes API request's attributes from its method and target, step by step as the
 * API server's {@code RequestInfoFactory.NewRequestInfo} does with the prefixes {@code api}
 * (groupless) and {@code apis}. Pure: no I/O, no state.
 *
 * <p>One deliberate difference: {@code pods/exec}, {@code pods/attach} and {@code pods/portforward}
 * are always verb {@code create}. SPDY clients open them with POST, WebSocket clients with GET;
 * both are upgrades that start a process or a tunnel, and the API server checks {@code create} for
 * them too (its {@code AuthorizePodWebsocketUpgradeCreatePermission}).
 */
public final class K8sRequestParser {

  private static final Set<String> SPECIAL_VERBS = Set.of("proxy", "watch");
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");
  private static final Set<String> STREAM_SUBRESOURCES = Set.of("exec", "attach", "portforward");
  private static final Set<String> SELECTOR_VERBS = Set.of("list", "watch", "deletecollection");
  private static final int MAX_METHOD = 16;

  private K8sRequestParser() {}

  /**
   * Parses a request given its HTTP method and raw request target.
   *
   * @throws K8sRequestException when the method or target cannot be read unambiguously
   */
  public static K8sAttributes parse(String method, String rawTarget) {
    return parse(method, RequestTarget.parse(rawTarget));
  }

  /**
   * Computes the attributes of a request whose target is already parsed.
   *
   * @throws K8sRequestException when the method is not an HTTP token or the path names a special
   *     verb without a resource
   */
  public static K8sAttributes parse(String method, RequestTarget target) {
    requireNonNull(method, "method");
    requireNonNull(target, "target");
    checkMethod(method);
    String nonResourceVerb = method.toLowerCase(Locale.ROOT);
    List<String> current = target.segments();
    if (current.size() < 3 || !(current.get(0).equals("api") || current.get(0).equals("apis"))) {
      return nonResource(nonResourceVerb);
    }
    String prefix = current.get(0);
    current = current.subList(1, current.size());
    String group = "";
    if (prefix.equals("apis")) {
      if (current.size() < 3) {
        return nonResource(nonResourceVerb);
      }
      group = current.get(0);
      current = current.subList(1, current.size());
    }
    String version = current.get(0);
    current = current.subList(1, current.size());

    String verb;
    boolean verbViaPath = SPECIAL_VERBS.contains(current.get(0));
    if (verbViaPath) {
      if (current.size() < 2) {
        throw new K8sRequestException("path: /" + current.get(0) + "/ without a resource (expected: a resource after it)");
      }
      verb = current.get(0);
      current = current.subList(1, current.size());
    } else {
      verb = switch (method) {
        case "POST" -> "create";
        case "GET", "HEAD" -> "get";
        case "PUT" -> "update";
        case "PATCH" -> "patch";
        case "DELETE" -> "delete";
        default -> "";
      };
    }

    String namespace = "";
    if (current.get(0).equals("namespaces") && current.size() > 1) {
      namespace = current.get(1);
      if (current.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(current.get(2))) {
        current = current.subList(2, current.size());
      }
    }
    String resource = current.get(0);
    String name = current.size() >= 2 ? current.get(1) : "";
    String subresource = current.size() >= 3 && !verb.equals("proxy") ? current.get(2) : "";

    if (name.isEmpty() && verb.equals("get")) {
      String watch = target.first("watch");
      verb = watch != null && !isFalse(watch) ? "watch" : "list";
      String selected = exactName(target.first("fieldSelector"));
      if (selected != null) {
        name = selected;
      }
    }
    if (name.isEmpty() && verb.equals("delete")) {
      verb = "deletecollection";
    }
    String fieldSelector = "";
    String labelSelector = "";
    if (!verbViaPath && SELECTOR_VERBS.contains(verb)) {
      fieldSelector = orEmpty(target.first("fieldSelector"));
      labelSelector = orEmpty(target.first("labelSelector"));
    }

    StreamOptions stream = null;
    if (resource.equals("pods") && !name.isEmpty() && STREAM_SUBRESOURCES.contains(subresource)
        && !verbViaPath) {
      verb = "create";
      stream = streamOptions(subresource, target);
    }
    return new K8sAttributes(true, verb, prefix, group, version, namespace, resource, subresource,
        name, current, fieldSelector, labelSelector, stream);
  }

  private static K8sAttributes nonResource(String verb) {
    return new K8sAttributes(false, verb, "", "", "", "", "", "", "", List.of(), "", "", null);
  }

  private static void checkMethod(String method) {
    if (method.isEmpty() || method.length() > MAX_METHOD) {
      throw new K8sRequestException("method: " + method.length() + " characters (expected: 1 to " + MAX_METHOD + ")");
    }
    for (int i = 0; i < method.length(); i++) {
      char c = method.charAt(i);
      if (c < 'A' || c > 'Z') {
        throw new K8sRequestException("method: character at " + i + " (expected: A-Z)");
      }
    }
  }

  /** Go's {@code Convert_Slice_string_To_bool}: anything but {@code 0} and {@code false} is true. */
  private static boolean isFalse(String value) {
    return value.equals("0") || value.equalsIgnoreCase("false");
  }

  private static boolean flag(RequestTarget target, String name) {
    String value = target.first(name);
    return value != null && !isFalse(value);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static StreamOptions streamOptions(String subresource, RequestTarget target) {
    List<String> command = subresource.equals("exec") ? target.all("command") : List.of();
    List<Integer> ports = new ArrayList<>();
    if (subresource.equals("portforward")) {
      for (String value : target.all("ports")) {
        for (String port : value.split(",", -1)) {
          ports.add(port(port.trim()));
        }
      }
    }
    return new StreamOptions(subresource.equals("portforward") ? null : target.first("container"),
        command, flag(target, "stdin"), flag(target, "stdout"), flag(target, "stderr"),
        flag(target, "tty"), ports);
  }

  private static int port(String s) {
    if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new K8sRequestException("ports: not a number (expected: 1 to 65535)");
    }
    int port = Integer.parseInt(s);
    if (port < 1 || port > 65535) {
      throw new K8sRequestException("ports: " + port + " (expected: 1 to 65535)");
    }
    return port;
  }

  /**
   * The value a field selector requires {@code metadata.name} to equal ({@code =} or {@code ==}),
   * as {@code fields.ParseSelector(...).RequiresExactMatch("metadata.name")} gives it, when that
   * value is a valid path segment name; null otherwise. Selectors with escapes are not read (the
   * request is then seen as a list of every name, which no policy can under-read).
   */
  static String exactName(String selector) {
    if (selector == null || selector.isEmpty() || selector.indexOf('\\') >= 0) {
      return null;
    }
    List<String> terms = new ArrayList<>(List.of(selector.split(",", -1)));
    // The API server sorts the terms and takes the first that names the field.
    terms.sort(null);
    String found = null;
    for (String term : terms) {
      if (term.isEmpty()) {
        continue;
      }
      int eq = term.indexOf('=');
      if (eq < 0) {
        return null;
      }
      boolean notEqual = eq > 0 && term.charAt(eq - 1) == '!';
      String field = term.substring(0, notEqual ? eq - 1 : eq);
      String value = term.substring(eq + 1);
      if (!notEqual && value.startsWith("=")) {
        value = value.substring(1);
      }
      if (found == null && !notEqual && field.equals("metadata.name")) {
        found = value;
      }
    }
    if (found == null || found.isEmpty() || found.equals(".") || found.equals("..")
        || found.indexOf('/') >= 0 || found.indexOf('%') >= 0) {
      return null;
    }
    return found;
  }
}
