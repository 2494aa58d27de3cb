package io.portcullis.sql;

import io.portcullis.document.SqlStatement;
import io.portcullis.document.SqlStatement.ColumnUse;
import io.portcullis.document.SqlStatement.Copy;
import io.portcullis.document.SqlStatement.TableRef;
import io.portcullis.sql.SqlToken.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Recognises PostgreSQL utility statements that clients send routinely and JSqlParser does not
 * parse (transaction control, SET/SHOW/RESET, COPY, DISCARD, ...), over the lexer's tokens. Each
 * grammar is strict: a statement it does not consume entirely is a parse error, never a guess.
 */
final class UtilityStatements {

  /** Thrown when a recognised statement does not follow its grammar. */
  static final class GrammarException extends Exception {
    private static final long serialVersionUID = 1L;

    GrammarException(String message) {
      super(message, null, false, false);
    }
  }

  private static final Set<String> TRANSACTION_WORDS = Set.of("work", "transaction", "isolation",
      "level", "serializable", "repeatable", "read", "committed", "uncommitted", "write", "only",
      "not", "deferrable", "and", "no", "chain");
  private static final Set<String> ADMIN_HEADS = Set.of("vacuum", "analyze", "analyse", "checkpoint",
      "reindex", "cluster", "load", "security", "reassign", "import", "alter system");

  private final List<SqlToken> t;
  private final Function<String, SqlStatement> parseQuery;
  private int p;

  private UtilityStatements(List<SqlToken> tokens, Function<String, SqlStatement> parseQuery) {
    this.t = tokens;
    this.parseQuery = parseQuery;
  }

  /**
   * The analysis of a utility statement, or null when {@code tokens} do not start one (then the
   * SQL parser takes it).
   *
   * @param parseQuery analyses an embedded query given as parser text (for COPY (query) TO)
   */
  static SqlStatement recognise(List<SqlToken> tokens, Function<String, SqlStatement> parseQuery)
      throws GrammarException {
    return new UtilityStatements(tokens, parseQuery).statement();
  }

  private SqlStatement statement() throws GrammarException {
    SqlToken head = t.get(0);
    if (head.kind() != Kind.IDENT) {
      return null;
    }
    String h = head.text();
    String second = t.size() > 1 && t.get(1).kind() == Kind.IDENT ? t.get(1).text() : "";
    switch (h) {
      case "begin", "start", "commit", "end", "abort" -> {
        p = h.equals("start") ? expectWord(1, "transaction") : 1;
        if (h.equals("commit") && second.equals("prepared")) {
          return simple("COMMIT PREPARED", "admin");
        }
        words(TRANSACTION_WORDS);
        return simple(h.equals("start") ? "START TRANSACTION" : h.equals("abort") ? "ROLLBACK"
            : h.equals("end") ? "COMMIT" : h.toUpperCase(Locale.ROOT), "transaction");
      }
      case "rollback" -> {
        if (second.equals("prepared")) {
          return simple("ROLLBACK PREPARED", "admin");
        }
        p = 1;
        optionalWord("work", "transaction");
        if (optionalWord("to")) {
          optionalWord("savepoint");
          name();
          end();
          return simple("ROLLBACK TO SAVEPOINT", "transaction");
        }
        words(TRANSACTION_WORDS);
        return simple("ROLLBACK", "transaction");
      }
      case "savepoint" -> {
        p = 1;
        name();
        end();
        return simple("SAVEPOINT", "transaction");
      }
      case "release" -> {
        p = 1;
        optionalWord("savepoint");
        name();
        end();
        return simple("RELEASE", "transaction");
      }
      case "set" -> {
        return set();
      }
      case "reset" -> {
        p = 1;
        String setting = settingName();
        end();
        return new SqlStatement(setting.equals("role") ? "RESET ROLE"
            : setting.equals("session authorization") ? "RESET SESSION AUTHORIZATION" : "RESET",
            "session", List.of(), List.of(), null, null, null, setting, List.of());
      }
      case "show" -> {
        p = 1;
        String setting = settingName();
        end();
        return new SqlStatement("SHOW", "session", List.of(), List.of(), null, null, null, setting,
            List.of());
      }
      case "discard" -> {
        p = 1;
        expectOneOf("all", "plans", "sequences", "temp", "temporary");
        end();
        return simple("DISCARD", "session");
      }
      case "deallocate" -> {
        p = 1;
        optionalWord("prepare");
        name();
        end();
        return simple("DEALLOCATE", "session");
      }
      case "listen", "unlisten" -> {
        p = 1;
        if (p < t.size() && t.get(p).kind() == Kind.OP && t.get(p).text().equals("*")) {
          p++;
        } else {
          name();
        }
        end();
        return simple(h.toUpperCase(Locale.ROOT), "session");
      }
      case "notify" -> {
        return simple("NOTIFY", "other");
      }
      case "do" -> {
        return simple("DO", "other");
      }
      case "prepare" -> {
        return simple(second.equals("transaction") ? "PREPARE TRANSACTION" : "PREPARE", "other");
      }
      case "execute" -> {
        return simple("EXECUTE", "other");
      }
      case "copy" -> {
        return copy();
      }
      case "create", "alter", "drop" -> {
        if (Set.of("role", "user", "group").contains(second)) {
          return simple(h.toUpperCase(Locale.ROOT) + " ROLE", "admin");
        }
        if (h.equals("alter") && second.equals("system")) {
          return simple("ALTER SYSTEM", "admin");
        }
        if (Set.of("extension", "server", "foreign", "subscription", "publication", "language")
            .contains(second)) {
          return simple(h.toUpperCase(Locale.ROOT) + " " + second.toUpperCase(Locale.ROOT), "admin");
        }
        return null;
      }
      case "revoke" -> {
        return simple("REVOKE", "admin");
      }
      case "grant" -> {
        return simple("GRANT", "admin");
      }
      case "lock" -> {
        return simple("LOCK", "admin");
      }
      default -> {
        if (ADMIN_HEADS.contains(h)) {
          return simple(h.equals("analyse") ? "ANALYZE" : h.toUpperCase(Locale.ROOT), "admin");
        }
        return null;
      }
    }
  }

  private SqlStatement set() throws GrammarException {
    p = 1;
    if (peekWord("session") && peekWord(p + 1, "authorization")) {
      p += 2;
      value();
      end();
      return new SqlStatement("SET SESSION AUTHORIZATION", "session", List.of(), List.of(), null,
          null, null, "session authorization", List.of());
    }
    optionalWord("session", "local");
    if (optionalWord("role")) {
      value();
      end();
      return new SqlStatement("SET ROLE", "session", List.of(), List.of(), null, null, null, "role",
          List.of());
    }
    if (peekWord("session") && peekWord(p + 1, "authorization")) {
      p += 2;
      value();
      end();
      return new SqlStatement("SET SESSION AUTHORIZATION", "session", List.of(), List.of(), null,
          null, null, "session authorization", List.of());
    }
    if (optionalWord("transaction") || peekWord("characteristics")) {
      words(TRANSACTION_WORDS);
      return new SqlStatement("SET TRANSACTION", "transaction", List.of(), List.of(), null, null,
          null, "transaction", List.of());
    }
    if (peekWord("time") && peekWord(p + 1, "zone")) {
      p += 2;
      value();
      end();
      return new SqlStatement("SET", "session", List.of(), List.of(), null, null, null, "timezone",
          List.of());
    }
    String setting = dottedName();
    if (optionalWord("to") || optionalOp("=")) {
      value();
      while (p < t.size() && t.get(p).isPunct(",")) {
        p++;
        value();
      }
    } else if (optionalWord("from")) {
      expectWord(p, "current");
      p++;
    } else {
      throw new GrammarException("SET " + setting + ": expected TO or =");
    }
    end();
    return new SqlStatement("SET", "session", List.of(), List.of(), null, null, null, setting, List.of());
  }

  private SqlStatement copy() throws GrammarException {
    p = 1;
    SqlStatement query = null;
    TableRef table = null;
    List<String> columnList = null;
    if (p < t.size() && t.get(p).isPunct("(")) {
      int close = matching(p);
      StringBuilder text = new StringBuilder();
      for (int k = p + 1; k < close; k++) {
        text.append(t.get(k).forParser()).append(' ');
      }
      query = parseQuery.apply(text.toString());
      if (query.parseError() != null) {
        throw new GrammarException("COPY query: " + query.parseError());
      }
      p = close + 1;
    } else {
      String first = identifier();
      String schema = null;
      String name = first;
      if (p < t.size() && t.get(p).isPunct(".")) {
        p++;
        schema = first;
        name = identifier();
      }
      if (p < t.size() && t.get(p).isPunct("(")) {
        columnList = columnList();
      }
      table = new TableRef(schema, name, "read");
    }
    String direction = expectOneOf("to", "from");
    String endpoint;
    String target = null;
    if (optionalWord("stdout", "stdin")) {
      endpoint = t.get(p - 1).text();
    } else if (optionalWord("program")) {
      endpoint = "program";
      target = string();
    } else {
      endpoint = "file";
      target = string();
    }
    Copy copy = copyOptions(direction, endpoint, target, query == null ? "table" : "query");
    if (!direction.equals("to") && query != null) {
      throw new GrammarException("COPY (query) FROM is not valid");
    }
    String type = endpoint.equals("stdout") ? "read" : endpoint.equals("stdin") ? "write" : "admin";
    List<TableRef> tables = table == null ? query.tables()
        : List.of(new TableRef(table.schema(), table.name(), direction.equals("from") ? "write" : "read"));
    List<String> functions = query == null ? List.of() : query.functions();
    return new SqlStatement("COPY", type, tables, functions, null, null,
        copy, null, copyColumns(direction, table, columnList, query));
  }

  /**
   * COPY's options, {@code WITH (FORMAT csv, HEADER, DELIMITER ';', ...)} or the old keyword style
   * ({@code WITH CSV HEADER DELIMITER AS ';'}); an option the gateway does not know is an error,
   * because the gateway must read COPY output exactly as the server writes it.
   */
  private Copy copyOptions(String direction, String endpoint, String target, String source)
      throws GrammarException {
    String format = "text";
    boolean header = false;
    String[] chars = new String[4]; // delimiter, null, quote, escape
    optionalWord("with");
    boolean parens = p < t.size() && t.get(p).isPunct("(");
    if (parens) {
      p++;
    }
    while (p < t.size()) {
      SqlToken tok = t.get(p);
      if (tok.isPunct(",")) {
        p++;
        continue;
      }
      if (parens && tok.isPunct(")")) {
        p++;
        break;
      }
      String option = identifier();
      switch (option) {
        case "format" -> format = expectOneOf("text", "csv", "binary");
        case "binary", "csv" -> format = option;
        case "header" -> header = headerValue();
        case "delimiter" -> chars[0] = optionString();
        case "null" -> chars[1] = optionString();
        case "quote" -> chars[2] = optionString();
        case "escape" -> chars[3] = optionString();
        case "encoding" -> optionString();
        case "freeze" -> optionalWord("true", "false", "on", "off");
        case "force", "force_quote", "force_not_null", "force_null" -> skipForceList(option);
        default -> throw new GrammarException("COPY option " + option + " is not known to the gateway");
      }
    }
    end();
    return new Copy(direction, endpoint, target, source, format, header, chars[0], chars[1],
        chars[2], chars[3]);
  }

  /** HEADER's optional value: a boolean, or MATCH (which COPY FROM checks and COPY TO refuses). */
  private boolean headerValue() {
    if (optionalWord("false", "off")) {
      return false;
    }
    if (optionalWord("true", "on", "match")) {
      return true;
    }
    if (p < t.size() && t.get(p).kind() == Kind.NUMBER) {
      return !t.get(p++).text().equals("0");
    }
    return true;
  }

  private String optionString() throws GrammarException {
    optionalWord("as");
    return string();
  }

  /** FORCE QUOTE *, FORCE_NOT_NULL (a, b), FORCE NOT NULL a, b: column lists that change nothing read. */
  private void skipForceList(String option) throws GrammarException {
    if (option.equals("force")) {
      if (!optionalWord("quote")) {
        optionalWord("not");
        expectWord(p, "null");
        p++;
      }
    }
    if (optionalOp("*")) {
      return;
    }
    if (p < t.size() && t.get(p).isPunct("(")) {
      columnList();
      return;
    }
    identifier();
    while (p + 1 < t.size() && t.get(p).isPunct(",") && t.get(p + 1).kind() == Kind.IDENT
        && !isCopyOption(t.get(p + 1).text())) {
      p++;
      identifier();
    }
  }

  private static boolean isCopyOption(String word) {
    return Set.of("format", "binary", "csv", "header", "delimiter", "null", "quote", "escape",
        "encoding", "freeze", "force", "force_quote", "force_not_null", "force_null").contains(word);
  }

  /**
   * What COPY reads: the listed columns of a table (or all of them), which the gateway can mask by
   * name because it knows the table; a query's columns are expressions, because COPY's output
   * carries no row description that would tie a value to its column.
   */
  private static List<ColumnUse> copyColumns(String direction, TableRef table, List<String> columnList,
      SqlStatement query) {
    if (!direction.equals("to")) {
      return List.of();
    }
    String projection = ColumnUsage.PROJECTION.wire();
    if (query != null) {
      return query.columns().stream()
          .map(c -> c.usage().equals(projection)
              ? new ColumnUse(c.schema(), c.table(), c.column(), ColumnUsage.EXPRESSION.wire()) : c)
          .distinct()
          .toList();
    }
    if (columnList == null) {
      return List.of(new ColumnUse(table.schema(), table.name(), "*", projection));
    }
    return columnList.stream().distinct()
        .map(c -> new ColumnUse(table.schema(), table.name(), c, projection)).toList();
  }

  /** A parenthesised list of column names, from the opening parenthesis at {@code p}. */
  private List<String> columnList() throws GrammarException {
    List<String> names = new ArrayList<>();
    p++;
    while (true) {
      names.add(identifier());
      if (p < t.size() && t.get(p).isPunct(",")) {
        p++;
      } else if (p < t.size() && t.get(p).isPunct(")")) {
        p++;
        return names;
      } else {
        throw new GrammarException("COPY column list: expected , or )");
      }
    }
  }

  private SqlStatement simple(String command, String type) {
    return new SqlStatement(command, type, List.of(), List.of(), null, null, null, null, List.of());
  }

  private String settingName() throws GrammarException {
    if (optionalWord("all")) {
      return "all";
    }
    if (peekWord("session") && peekWord(p + 1, "authorization")) {
      p += 2;
      return "session authorization";
    }
    if (peekWord("time") && peekWord(p + 1, "zone")) {
      p += 2;
      return "timezone";
    }
    if (peekWord("transaction") && peekWord(p + 1, "isolation")) {
      p += 2;
      expectWord(p, "level");
      p++;
      return "transaction isolation level";
    }
    return dottedName();
  }

  private String dottedName() throws GrammarException {
    StringBuilder name = new StringBuilder(identifier());
    while (p < t.size() && t.get(p).isPunct(".")) {
      p++;
      name.append('.').append(identifier());
    }
    return name.toString();
  }

  private void value() throws GrammarException {
    if (p >= t.size()) {
      throw new GrammarException("expected a value");
    }
    SqlToken tok = t.get(p);
    if (tok.kind() == Kind.OP && (tok.text().equals("-") || tok.text().equals("+"))
        && p + 1 < t.size() && t.get(p + 1).kind() == Kind.NUMBER) {
      p += 2;
      return;
    }
    switch (tok.kind()) {
      case IDENT, QUOTED_IDENT, STRING, NUMBER -> p++;
      default -> throw new GrammarException("unexpected " + tok.text() + " where a value belongs");
    }
  }

  private void name() throws GrammarException {
    identifier();
  }

  private String identifier() throws GrammarException {
    if (p >= t.size() || (t.get(p).kind() != Kind.IDENT && t.get(p).kind() != Kind.QUOTED_IDENT)) {
      throw new GrammarException("expected a name");
    }
    return t.get(p++).text();
  }

  private String string() throws GrammarException {
    if (p >= t.size() || t.get(p).kind() != Kind.STRING) {
      throw new GrammarException("expected a quoted string");
    }
    return t.get(p++).value();
  }

  private void words(Set<String> allowed) throws GrammarException {
    while (p < t.size()) {
      SqlToken tok = t.get(p);
      if (!(tok.kind() == Kind.IDENT && allowed.contains(tok.text())) && !tok.isPunct(",")) {
        throw new GrammarException("unexpected " + tok.text());
      }
      p++;
    }
  }

  private boolean peekWord(String word) {
    return peekWord(p, word);
  }

  private boolean peekWord(int at, String word) {
    return at < t.size() && t.get(at).is(word);
  }

  private boolean optionalWord(String... words) {
    if (p < t.size()) {
      for (String w : words) {
        if (t.get(p).is(w)) {
          p++;
          return true;
        }
      }
    }
    return false;
  }

  private boolean optionalOp(String op) {
    if (p < t.size() && t.get(p).kind() == Kind.OP && t.get(p).text().equals(op)) {
      p++;
      return true;
    }
    return false;
  }

  private int expectWord(int at, String word) throws GrammarException {
    if (!peekWord(at, word)) {
      throw new GrammarException("expected " + word.toUpperCase(Locale.ROOT));
    }
    return at + 1;
  }

  private String expectOneOf(String... words) throws GrammarException {
    for (String w : words) {
      if (optionalWord(w)) {
        return w;
      }
    }
    throw new GrammarException("expected one of " + String.join(", ", words).toUpperCase(Locale.ROOT));
  }

  private int matching(int open) throws GrammarException {
    int depth = 0;
    for (int k = open; k < t.size(); k++) {
      if (t.get(k).isPunct("(")) {
        depth++;
      } else if (t.get(k).isPunct(")") && --depth == 0) {
        return k;
      }
    }
    throw new GrammarException("unbalanced parentheses");
  }

  private void end() throws GrammarException {
    if (p < t.size()) {
      throw new GrammarException("unexpected " + t.get(p).text() + " at the end of the statement");
    }
  }
}
