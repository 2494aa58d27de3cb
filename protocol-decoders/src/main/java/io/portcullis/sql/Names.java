package io.portcullis.sql;

import java.util.Locale;

/** Identifier folding as PostgreSQL does it: unquoted names to lower case, quoted kept exactly. */
final class Names {

  private Names() {}

  static String fold(String identifier) {
    if (identifier == null) {
      return null;
    }
    if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
      return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
    }
    return identifier.toLowerCase(Locale.ROOT);
  }
}
