package io.portcullis.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.json.Json;
import io.portcullis.mask.ColumnMask;
import io.portcullis.mask.TextMasker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Masks a JSON document under an allowed request's {@link HttpMaskRules}: every value a path
 * selects (all scalars below it, when it selects an object or array) by the path's strategy, then
 * every string and number anywhere by the pattern rules. Masked numbers and booleans become
 * strings; strategy {@code null} makes a value JSON {@code null}.
 */
final class HttpJsonMasker {

  /** A body that is not one JSON document: it is refused, never sent unmasked. */
  static final class NotJson extends Exception {
    private static final long serialVersionUID = 1L;

    NotJson(String message) {
      super(message, null, false, false);
    }
  }

  private final HttpMaskRules rules;
  private final TextMasker masker;

  HttpJsonMasker(HttpMaskRules rules, byte[] hmacKey) {
    this.rules = rules;
    this.masker = new TextMasker(rules.usesHash(), rules.usesHash() ? hmacKey : null);
  }

  /** How many values were masked so far. */
  long maskedValues() {
    return masker.maskedValues();
  }

  /** The masked document, serialised. */
  byte[] mask(byte[] body) throws NotJson {
    JsonNode root;
    try {
      root = Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new NotJson("the response is not valid JSON");
    }
    if (root == null || root.isMissingNode()) {
      throw new NotJson("the response is empty, not JSON");
    }
    JsonNode masked = mask(root);
    try {
      return Json.mapper().writeValueAsBytes(masked);
    } catch (IOException e) {
      throw new NotJson("the masked response could not be written: " + e.getMessage());
    }
  }

  /** The masked form of a parsed document (the tree is changed in place where it can be). */
  JsonNode mask(JsonNode root) {
    JsonNode result = root;
    for (HttpMaskRules.PathRule rule : rules.paths()) {
      result = apply(result, rule.path().steps(), 0, ColumnMask.column(rule.strategy()));
    }
    if (!rules.patterns().isNone()) {
      result = everywhere(result, rules.patterns());
    }
    return result;
  }

  /** Applies {@code mask} to what {@code steps[at..]} select below {@code node}; returns the new node. */
  private JsonNode apply(JsonNode node, List<HttpJsonPath.Step> steps, int at, ColumnMask mask) {
    if (at == steps.size()) {
      return everywhere(node, mask);
    }
    HttpJsonPath.Step step = steps.get(at);
    switch (step) {
      case HttpJsonPath.Member m -> {
        if (node instanceof ObjectNode o && o.has(m.name())) {
          o.set(m.name(), apply(o.get(m.name()), steps, at + 1, mask));
        }
      }
      case HttpJsonPath.Index i -> {
        if (node instanceof ArrayNode a && i.index() < a.size()) {
          a.set(i.index(), apply(a.get(i.index()), steps, at + 1, mask));
        }
      }
      case HttpJsonPath.Wildcard w -> {
        if (node instanceof ObjectNode o) {
          List<String> names = new ArrayList<>();
          o.fieldNames().forEachRemaining(names::add);
          for (String name : names) {
            o.set(name, apply(o.get(name), steps, at + 1, mask));
          }
        } else if (node instanceof ArrayNode a) {
          for (int i = 0; i < a.size(); i++) {
            a.set(i, apply(a.get(i), steps, at + 1, mask));
          }
        }
      }
    }
    return node;
  }

  /** Masks every scalar in {@code node} under {@code mask}; returns the new node. */
  private JsonNode everywhere(JsonNode node, ColumnMask mask) {
    if (node instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : iterable(o)) {
        e.setValue(everywhere(e.getValue(), mask));
      }
      return o;
    }
    if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        a.set(i, everywhere(a.get(i), mask));
      }
      return a;
    }
    if (node.isNull() || node.isMissingNode()) {
      return node;
    }
    if (mask.strategy() == null && !(node.isTextual() || node.isNumber())) {
      return node; // Patterns are looked for in strings and numbers only.
    }
    String text = node.isTextual() ? node.textValue() : node.asText();
    return switch (masker.mask(text, mask)) {
      case TextMasker.Unchanged u -> node;
      case TextMasker.Nulled n -> JsonNodeFactory.instance.nullNode();
      case TextMasker.Replaced r -> JsonNodeFactory.instance.textNode(r.text());
    };
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(ObjectNode o) {
    return o::fields;
  }
}
