package io.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.log.DecisionLine;
import io.portcullis.sql.SqlFingerprinter;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes secrets from what is recorded. SQL is kept as its normalised text, every literal a
 * placeholder, as in the decision log: literals can be secrets (passwords in {@code ALTER ROLE},
 * keys in an {@code INSERT}). SQL the lexer will not normalise is kept only as a hash and length.
 */
final class Redaction {

  private Redaction() {}

  /** {@code sql} as it is recorded: normalised, or a hash and length. */
  static String sql(String sql) {
    if (sql == null) {
      return null;
    }
    return SqlFingerprinter.fingerprint(sql).map(SqlFingerprinter.Fingerprint::normalized)
        .orElseGet(() -> DecisionLine.describeSql(null, sql));
  }

  /** Replaces every {@code sql} text field of a JSON tree, in place; returns the tree. */
  static JsonNode tree(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode value = object.get(name);
        if (value.isTextual() && name.equals("sql")) {
          object.put(name, sql(value.asText()));
        } else {
          tree(value);
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(Redaction::tree);
    }
    return node;
  }
}
