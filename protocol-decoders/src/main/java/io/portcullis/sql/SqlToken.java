package io.portcullis.sql;

/**
 * One lexical token of PostgreSQL SQL.
 *
 * @param kind what it is
 * @param text the token as normalised: identifiers folded to lower case, quoted identifiers as
 *     decoded, operators and punctuation as written
 * @param value for strings, the decoded value; null otherwise
 */
record SqlToken(Kind kind, String text, String value) {

  enum Kind { IDENT, QUOTED_IDENT, STRING, NUMBER, PARAM, OP, PUNCT }

  boolean is(String keyword) {
    return kind == Kind.IDENT && text.equals(keyword);
  }

  boolean isPunct(String p) {
    return kind == Kind.PUNCT && text.equals(p);
  }

  /** The token in the fingerprint's normalised text: literals become {@code ?}. */
  String normalized() {
    return switch (kind) {
      case STRING, NUMBER -> "?";
      case QUOTED_IDENT -> quote(text);
      case IDENT, PARAM, OP, PUNCT -> text;
    };
  }

  /** The token in the text given to the parser: literals become canonical placeholders. */
  String forParser() {
    return switch (kind) {
      case STRING -> "'s'";
      case NUMBER -> "0";
      case QUOTED_IDENT -> quote(text);
      case IDENT, PARAM, OP, PUNCT -> text;
    };
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
