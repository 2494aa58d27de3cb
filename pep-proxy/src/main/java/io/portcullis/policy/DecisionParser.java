package io.portcullis.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.json.Json;

/**
 * Reads OPA's answer strictly. Anything but a well-formed decision is a failure: the caller
 * denies.
 */
final class DecisionParser {

  /** The parts of OPA's answer the gateway uses. */
  record Answer(Decision decision, String decisionId, String revision) {}

  /** Why an answer could not be used; the message is shown to the denied client. */
  static final class BadAnswer extends Exception {
    private static final long serialVersionUID = 1L;

    BadAnswer(String message) {
      super(message, null, false, false);
    }
  }

  private DecisionParser() {}

  static Answer parse(byte[] body) throws BadAnswer {
    JsonNode root;
    try {
      root = Json.mapper().readTree(body);
    } catch (java.io.IOException e) {
      throw new BadAnswer("OPA returned a malformed decision: not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new BadAnswer("OPA returned a malformed decision: not a JSON object");
    }
    JsonNode result = root.get("result");
    if (result == null || result.isNull()) {
      throw new BadAnswer("OPA returned no decision (undefined)");
    }
    if (!result.isObject()) {
      throw new BadAnswer("OPA returned a malformed decision: result is " + result.getNodeType()
          + " (expected: object)");
    }
    JsonNode allow = result.get("allow");
    if (allow == null || !allow.isBoolean()) {
      throw new BadAnswer("OPA returned a malformed decision: allow is "
          + (allow == null ? "missing" : allow.getNodeType().toString()) + " (expected: boolean)");
    }
    JsonNode terminate = result.get("terminate");
    if (terminate != null && !terminate.isNull() && !terminate.isBoolean()) {
      throw new BadAnswer("OPA returned a malformed decision: terminate is " + terminate.getNodeType()
          + " (expected: boolean)");
    }
    requireStrings(result, "reasons");
    requireStrings(result, "alerts");
    Decision decision;
    try {
      decision = Json.mapper().treeToValue(result, Decision.class);
    } catch (JsonProcessingException e) {
      throw new BadAnswer("OPA returned a malformed decision: " + e.getOriginalMessage());
    }
    if (decision.cache() != null) {
      var cache = decision.cache();
      requireCounters("stats_below", cache.statsBelow().keySet());
      requireCounters("stats_at_least", cache.statsAtLeast().keySet());
      if (cache.ttlS() <= 0 || !("fingerprint".equals(cache.scope()) || "exact".equals(cache.scope()))) {
        throw new BadAnswer("OPA returned a malformed decision: cache " + cache
            + " (expected: positive ttl_s and scope fingerprint or exact)");
      }
    }
    return new Answer(decision, text(root.get("decision_id")), revision(root.get("provenance")));
  }

  private static void requireCounters(String field, java.util.Set<String> names) throws BadAnswer {
    for (String name : names) {
      if (!io.portcullis.document.Context.Stats.COUNTERS.contains(name)) {
        throw new BadAnswer("OPA returned a malformed decision: cache." + field + " names " + name
            + " (expected: one of " + io.portcullis.document.Context.Stats.COUNTERS + ")");
      }
    }
  }

  private static void requireStrings(JsonNode result, String field) throws BadAnswer {
    JsonNode node = result.get(field);
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isArray()) {
      throw new BadAnswer("OPA returned a malformed decision: " + field + " is not a list");
    }
    for (JsonNode element : node) {
      if (!element.isTextual()) {
        throw new BadAnswer("OPA returned a malformed decision: " + field + " holds a "
            + element.getNodeType() + " (expected: strings)");
      }
    }
  }

  /** The bundle revision from OPA's provenance: the legacy top-level one, or the bundles'. */
  static String revision(JsonNode provenance) {
    if (provenance == null || !provenance.isObject()) {
      return null;
    }
    String legacy = text(provenance.get("revision"));
    if (legacy != null) {
      return legacy;
    }
    JsonNode bundles = provenance.get("bundles");
    if (bundles == null || !bundles.isObject()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    bundles.properties().forEach(e -> {
      String r = text(e.getValue().get("revision"));
      if (r != null) {
        out.append(out.isEmpty() ? "" : ",").append(r);
      }
    });
    return out.isEmpty() ? null : out.toString();
  }

  private static String text(JsonNode node) {
    return node == null || !node.isTextual() ? null : node.asText();
  }
}
