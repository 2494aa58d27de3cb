package io.portcullis.sql;

import io.portcullis.sql.SqlToken.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * A lexer that follows PostgreSQL's lexical rules (with {@code standard_conforming_strings} on,
 * which the gateway enforces): quoted strings, E'' / U&'' / B'' / X'' strings, dollar quoting,
 * quoted and Unicode-escaped identifiers, nested block comments, numeric literals and parameters.
 * It splits a text into statements at top-level semicolons. Input it finds unusual (legal, but
 * where a reader could plausibly disagree) is flagged so it is never cached.
 */
final class SqlLexer {

  /** The result: statements as token lists, and why the text is unusual or broken, if it is. */
  record Result(List<List<SqlToken>> statements, String unusual, String error) {}

  private static final int MAX_DEPTH = 200;

  private final String s;
  private int i;
  private String unusual;
  private final List<List<SqlToken>> statements = new ArrayList<>();
  private List<SqlToken> current = new ArrayList<>();
  private int depth;

  private SqlLexer(String sql) {
    this.s = sql;
  }

  static Result lex(String sql) {
    SqlLexer lexer = new SqlLexer(sql);
    try {
      lexer.run();
    } catch (LexException e) {
      return new Result(List.of(), e.getMessage(), e.getMessage());
    }
    return new Result(lexer.statements, lexer.unusual, null);
  }

  private static final class LexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LexException(String message) {
      super(message, null, false, false);
    }
  }

  private void run() {
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == 0) {
        throw new LexException("NUL character in SQL");
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && peek(1) == '-') {
        int end = s.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (c == '/' && peek(1) == '*') {
        blockComment();
      } else if (c == ';') {
        i++;
        endStatement();
      } else if (c == '\'') {
        add(Kind.STRING, "", quotedString('\'', false));
      } else if (c == '"') {
        String id = quotedString('"', false);
        if (id.isEmpty()) {
          throw new LexException("zero-length delimited identifier");
        }
        add(Kind.QUOTED_IDENT, id, null);
      } else if ((c == 'e' || c == 'E') && peek(1) == '\'') {
        i++;
        add(Kind.STRING, "", quotedString('\'', true));
      } else if ((c == 'b' || c == 'B' || c == 'x' || c == 'X' || c == 'n' || c == 'N') && peek(1) == '\'') {
        i++;
        add(Kind.STRING, "", quotedString('\'', false));
      } else if ((c == 'u' || c == 'U') && peek(1) == '&' && (peek(2) == '\'' || peek(2) == '"')) {
        unicodeEscaped();
      } else if (c == '$') {
        dollar();
      } else if (isDigit(c) || (c == '.' && isDigit(peek(1)))) {
        number();
      } else if (isIdentStart(c)) {
        int start = i;
        while (i < n && isIdentPart(s.charAt(i))) {
          i++;
        }
        add(Kind.IDENT, s.substring(start, i).toLowerCase(java.util.Locale.ROOT), null);
      } else if (c == ':' && peek(1) == ':') {
        i += 2;
        add(Kind.PUNCT, "::", null);
      } else if ("(),[].:".indexOf(c) >= 0) {
        if (c == '(' || c == '[') {
          if (++depth > MAX_DEPTH) {
            throw new LexException("nesting deeper than " + MAX_DEPTH);
          }
        } else if (c == ')' || c == ']') {
          depth--;
        }
        i++;
        add(Kind.PUNCT, String.valueOf(c), null);
      } else if (isOperatorChar(c)) {
        operator();
      } else {
        throw new LexException("unexpected character '" + c + "' at offset " + i);
      }
    }
    endStatement();
  }

  private void add(Kind kind, String text, String value) {
    current.add(new SqlToken(kind, text, value));
  }

  private void endStatement() {
    if (!current.isEmpty()) {
      statements.add(List.copyOf(current));
      current = new ArrayList<>();
    }
  }

  private char peek(int ahead) {
    int at = i + ahead;
    return at < s.length() ? s.charAt(at) : '\0';
  }

  private void blockComment() {
    int nesting = 0;
    int n = s.length();
    while (i < n) {
      if (s.startsWith("/*", i)) {
        nesting++;
        i += 2;
      } else if (s.startsWith("*/", i)) {
        nesting--;
        i += 2;
        if (nesting == 0) {
          return;
        }
      } else {
        i++;
      }
    }
    throw new LexException("unterminated /* comment");
  }

  /** Reads a quoted string or identifier starting at the opening quote; doubled quotes escape. */
  private String quotedString(char quote, boolean backslashEscapes) {
    StringBuilder out = new StringBuilder();
    i++;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == 0) {
        throw new LexException("NUL character in SQL");
      }
      if (c == quote) {
        if (peek(1) == quote) {
          out.append(quote);
          i += 2;
          continue;
        }
        i++;
        return out.toString();
      }
      if (c == '\\') {
        if (backslashEscapes) {
          // E'' strings: the escaped character is taken as is; its exact value does not matter
          // for analysis, only where the string ends.
          if (i + 1 >= n) {
            break;
          }
          out.append(s.charAt(i + 1));
          i += 2;
          continue;
        }
        if (quote == '\'') {
          unusual = "backslash in a standard string";
        }
      }
      out.append(c);
      i++;
    }
    throw new LexException("unterminated quoted " + (quote == '"' ? "identifier" : "string"));
  }

  private void unicodeEscaped() {
    i += 2;
    char quote = s.charAt(i);
    String before = unusual;
    String raw = quotedString(quote, false);
    unusual = before; // In U&'' strings the backslash is the escape character, not an oddity.
    char escape = '\\';
    int save = i;
    skipSpaceAndComments();
    if (s.regionMatches(true, i, "UESCAPE", 0, 7) && !isIdentPart(peek(7))) {
      i += 7;
      skipSpaceAndComments();
      if (i >= s.length() || s.charAt(i) != '\'') {
        throw new LexException("UESCAPE without an escape character");
      }
      String esc = quotedString('\'', false);
      if (esc.length() != 1 || "0123456789abcdefABCDEF+'\" \t\n\r".indexOf(esc.charAt(0)) >= 0) {
        throw new LexException("invalid UESCAPE character");
      }
      escape = esc.charAt(0);
    } else {
      i = save;
    }
    String decoded = decodeUnicode(raw, escape);
    if (quote == '"') {
      if (decoded.isEmpty()) {
        throw new LexException("zero-length delimited identifier");
      }
      add(Kind.QUOTED_IDENT, decoded, null);
    } else {
      add(Kind.STRING, "", decoded);
    }
  }

  private static String decodeUnicode(String raw, char escape) {
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < raw.length(); k++) {
      char c = raw.charAt(k);
      if (c != escape) {
        out.append(c);
        continue;
      }
      if (k + 1 < raw.length() && raw.charAt(k + 1) == escape) {
        out.append(escape);
        k++;
      } else if (isHex(raw, k + 1, 4)) {
        out.appendCodePoint(codePoint(raw.substring(k + 1, k + 5)));
        k += 4;
      } else if (k + 1 < raw.length() && raw.charAt(k + 1) == '+' && isHex(raw, k + 2, 6)) {
        out.appendCodePoint(codePoint(raw.substring(k + 2, k + 8)));
        k += 7;
      } else {
        throw new LexException("invalid Unicode escape");
      }
    }
    return out.toString();
  }

  private static int codePoint(String hex) {
    int cp = Integer.parseInt(hex, 16);
    if (cp == 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
      throw new LexException("invalid Unicode escape value");
    }
    return cp;
  }

  private static boolean isHex(String str, int from, int count) {
    if (from + count > str.length()) {
      return false;
    }
    for (int k = from; k < from + count; k++) {
      if (Character.digit(str.charAt(k), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private void skipSpaceAndComments() {
    while (i < s.length()) {
      if (Character.isWhitespace(s.charAt(i))) {
        i++;
      } else if (s.startsWith("--", i)) {
        int end = s.indexOf('\n', i);
        i = end < 0 ? s.length() : end + 1;
      } else if (s.startsWith("/*", i)) {
        blockComment();
      } else {
        return;
      }
    }
  }

  private void dollar() {
    if (isDigit(peek(1))) {
      int start = i++;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
      }
      add(Kind.PARAM, s.substring(start, i), null);
      return;
    }
    int close = i + 1;
    while (close < s.length() && s.charAt(close) != '$') {
      if (!(close == i + 1 ? isIdentStart(s.charAt(close)) : isIdentPart(s.charAt(close)))
          || s.charAt(close) == '$') {
        throw new LexException("unexpected '$' at offset " + i);
      }
      close++;
    }
    if (close >= s.length()) {
      throw new LexException("unexpected '$' at offset " + i);
    }
    String tag = s.substring(i, close + 1);
    int bodyStart = close + 1;
    int end = s.indexOf(tag, bodyStart);
    if (end < 0) {
      throw new LexException("unterminated dollar-quoted string");
    }
    add(Kind.STRING, "", s.substring(bodyStart, end));
    i = end + tag.length();
  }

  private void number() {
    int start = i;
    int n = s.length();
    if (s.charAt(i) == '0' && i + 1 < n && "xXoObB".indexOf(s.charAt(i + 1)) >= 0) {
      i += 2;
      while (i < n && (Character.digit(s.charAt(i), 16) >= 0 || s.charAt(i) == '_')) {
        i++;
      }
    } else {
      while (i < n && (isDigit(s.charAt(i)) || s.charAt(i) == '_')) {
        i++;
      }
      if (i < n && s.charAt(i) == '.' && !(i + 1 < n && s.charAt(i + 1) == '.')) {
        i++;
        while (i < n && (isDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
      }
      if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        int save = i++;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          i++;
        }
        if (i < n && isDigit(s.charAt(i))) {
          while (i < n && isDigit(s.charAt(i))) {
            i++;
          }
        } else {
          i = save;
        }
      }
    }
    if (i < n && isIdentStart(s.charAt(i))) {
      // PostgreSQL rejects "junk" after a numeric literal (123abc); so does the gateway.
      throw new LexException("trailing junk after numeric literal at offset " + start);
    }
    add(Kind.NUMBER, s.substring(start, i), null);
  }

  private void operator() {
    int start = i;
    int n = s.length();
    while (i < n && isOperatorChar(s.charAt(i))) {
      if (s.startsWith("--", i) || s.startsWith("/*", i)) {
        break;
      }
      i++;
    }
    add(Kind.OP, s.substring(start, i), null);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || isDigit(c) || c == '$';
  }

  private static boolean isOperatorChar(char c) {
    return "+-*/<>=~!@#%^&|`?".indexOf(c) >= 0;
  }
}
