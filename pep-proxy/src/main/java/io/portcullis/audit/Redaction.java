package io.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.log.DecisionLine;
import io.portcullis.sql.SqlFingerprinter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Removes secrets from what is recorded. SQL is kept as its normalised text, every literal a
 * placeholder, as in the decision log: literals can be secrets (passwords in {@code ALTER ROLE},
 * keys in an {@code INSERT}) and personal data that an append-only log could never erase. SQL the
 * lexer will not normalise is kept only as a hash and length. When the decision says
 * {@code record: "full"} the policy wants the exact statement (as it wants the response), and SQL is
 * kept as it was sent, unless it mentions a password anywhere: then it is normalised all the same.
 */
final class Redaction {

  private Redaction() {}

  /** {@code sql} as it is recorded: as sent when {@code exact} and safe, else normalised. */
  static String sql(String sql, boolean exact) {
    if (sql == null) {
      return null;
    }
    if (exact && !sql.toLowerCase(Locale.ROOT).contains("password")) {
      return sql;
    }
    return SqlFingerprinter.fingerprint(sql).map(SqlFingerprinter.Fingerprint::normalized)
        .orElseGet(() -> DecisionLine.describeSql(null, sql));
  }

  /** Replaces every {@code sql} text field of a JSON tree, in place; returns the tree. */
  static JsonNode tree(JsonNode node, boolean exact) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode value = object.get(name);
        if (value.isTextual() && name.equals("sql")) {
          object.put(name, sql(value.asText(), exact));
        } else {
          tree(value, exact);
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(element -> tree(element, exact));
    }
    return node;
  }
}
