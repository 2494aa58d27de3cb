package io.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes secrets from what is recorded: password literals in SQL ({@code CREATE ROLE ... PASSWORD
 * '...'}, {@code ALTER USER ... PASSWORD E'...'}, dollar-quoted ones) become {@code '[REDACTED]'}.
 */
final class Redaction {

  static final String REDACTED = "'[REDACTED]'";

  private static final Pattern PASSWORD = Pattern.compile(
      "(?is)(\\bpassword\\s+)(E'(?:[^'\\\\]|\\\\.|'')*'|'(?:[^']|'')*'|\\$([A-Za-z_][A-Za-z_0-9]*)?\\$.*?\\$\\3\\$)");

  private Redaction() {}

  /** {@code sql} with password literals replaced. */
  static String sql(String sql) {
    if (sql == null || !containsPassword(sql)) {
      return sql;
    }
    return PASSWORD.matcher(sql).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + REDACTED));
  }

  private static boolean containsPassword(String sql) {
    return sql.toLowerCase(java.util.Locale.ROOT).contains("password");
  }

  /** Redacts every {@code sql} text field of a JSON tree, in place; returns the tree. */
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
