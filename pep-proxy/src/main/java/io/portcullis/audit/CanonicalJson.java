package io.portcullis.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Canonical JSON, as the package documentation defines it: sorted keys, no whitespace. */
public final class CanonicalJson {

  private static final ObjectMapper PLAIN = JsonMapper.builder().build();

  private CanonicalJson() {}

  /** The canonical form of a value serialised with the gateway's mapper (snake_case). */
  public static String of(Object value) {
    return of(Json.mapper().valueToTree(value));
  }

  /** The canonical form of a JSON tree. */
  public static String of(JsonNode node) {
    try {
      return PLAIN.writeValueAsString(sorted(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not serialisable: " + e.getOriginalMessage(), e);
    }
  }

  /** The canonical form as UTF-8 bytes. */
  public static byte[] bytes(JsonNode node) {
    return of(node).getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      node.fieldNames().forEachRemaining(keys::add);
      keys.sort(null);
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (String key : keys) {
        out.set(key, sorted(node.get(key)));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode(node.size());
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        out.add(sorted(it.next()));
      }
      return out;
    }
    return node;
  }
}
