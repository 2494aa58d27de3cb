package io.portcullis.pg;

import java.util.Locale;

/**
 * Server settings under which the gateway's reading of SQL would differ from the server's: a
 * client encoding other than UTF-8 (multi-byte encodings such as SJIS can hide quotes in trailing
 * bytes) and {@code standard_conforming_strings = off} (backslashes escape quotes). A session whose
 * server reports either is ended rather than misread.
 */
final class PgSafeSettings {

  private PgSafeSettings() {}

  /** Why this reported setting is unsafe, or null when it is fine. */
  static String violation(String name, String value) {
    String v = value == null ? "" : value.toLowerCase(Locale.ROOT);
    if ("client_encoding".equals(name) && !("utf8".equals(v) || "utf-8".equals(v) || "unicode".equals(v))) {
      return "client_encoding " + value + " is not supported through the gateway (expected: UTF8)";
    }
    if ("standard_conforming_strings".equals(name) && !"on".equals(v)) {
      return "standard_conforming_strings " + value + " is not supported through the gateway (expected: on)";
    }
    return null;
  }
}
