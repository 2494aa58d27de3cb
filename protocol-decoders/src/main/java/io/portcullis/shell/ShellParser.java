package io.portcullis.shell;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Parses a command line with a strict subset of the POSIX shell grammar: words separated by
 * blanks, single quotes, double quotes and backslash escapes. A line is plain only when it is
 * made of nothing else; every other construct is named, never interpreted. The parser is pure,
 * linear in the line's length, and never throws on any input.
 *
 * <p>Stricter than a shell where a shell would be harmless, never looser: a {@code $} anywhere
 * outside single quotes is an expansion, a line feed or carriage return anywhere (quoted too) is
 * a newline, and control characters anywhere are named.
 */
public final class ShellParser {

  /** The longest line parsed; a longer one is refused outright. */
  public static final int MAX_LENGTH = 65_536;

  private ShellParser() {}

  /**
   * Parses {@code line}.
   *
   * @throws IllegalArgumentException when the line is longer than {@link #MAX_LENGTH}
   */
  public static ShellCommand parse(String line) {
    requireNonNull(line, "line");
    if (line.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("length: " + line.length() + " (expected: <= " + MAX_LENGTH + ")");
    }
    EnumSet<ShellConstruct> found = EnumSet.noneOf(ShellConstruct.class);
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    boolean wordHasUnquotedEquals = false;
    boolean wordQuotedBeforeEquals = false;
    int n = line.length();
    int i = 0;
    while (i < n) {
      char c = line.charAt(i);
      control(c, found);
      if (c == ' ' || c == '\t') {
        if (word != null) {
          words.add(word.toString());
          assignment(words.size() == 1, wordHasUnquotedEquals, wordQuotedBeforeEquals, words.get(0), found);
          word = null;
        }
        i++;
        continue;
      }
      boolean startsWord = word == null;
      if (word == null) {
        word = new StringBuilder();
        wordHasUnquotedEquals = false;
        wordQuotedBeforeEquals = false;
      }
      switch (c) {
        case '\'' -> {
          int close = line.indexOf('\'', i + 1);
          if (close < 0) {
            found.add(ShellConstruct.UNTERMINATED_QUOTE);
            scanControls(line, i + 1, n, found);
            i = n;
          } else {
            scanControls(line, i + 1, close, found);
            word.append(line, i + 1, close);
            i = close + 1;
          }
          if (!wordHasUnquotedEquals) {
            wordQuotedBeforeEquals = true;
          }
          continue;
        }
        case '"' -> {
          i = doubleQuoted(line, i + 1, word, found);
          if (!wordHasUnquotedEquals) {
            wordQuotedBeforeEquals = true;
          }
          continue;
        }
        case '\\' -> {
          if (i + 1 >= n) {
            found.add(ShellConstruct.UNTERMINATED_QUOTE);
            i++;
          } else {
            char next = line.charAt(i + 1);
            control(next, found);
            if (next == '\n' || next == '\r') {
              found.add(ShellConstruct.NEWLINE);
            }
            word.append(next);
            if (!wordHasUnquotedEquals) {
              wordQuotedBeforeEquals = true;
            }
            i += 2;
          }
          continue;
        }
        case ';' -> found.add(ShellConstruct.SEMICOLON);
        case '|' -> {
          if (i + 1 < n && line.charAt(i + 1) == '|') {
            found.add(ShellConstruct.OR);
            i++;
          } else {
            found.add(ShellConstruct.PIPE);
          }
        }
        case '&' -> {
          if (i + 1 < n && line.charAt(i + 1) == '&') {
            found.add(ShellConstruct.AND);
            i++;
          } else if (i + 1 < n && line.charAt(i + 1) == '>') {
            found.add(ShellConstruct.REDIRECTION);
          } else {
            found.add(ShellConstruct.BACKGROUND);
          }
        }
        case '<', '>' -> {
          found.add(ShellConstruct.REDIRECTION);
          if (i + 1 < n && line.charAt(i + 1) == '&') {
            // 2>&1, <&3: the & belongs to the redirection, it does not start a background job.
            word.append(c);
            c = '&';
            i++;
          }
        }
        case '`' -> found.add(ShellConstruct.BACKTICK);
        case '$' -> found.add(dollar(line, i));
        case '\n', '\r' -> found.add(ShellConstruct.NEWLINE);
        case '*', '?', '[' -> found.add(ShellConstruct.GLOB);
        case '(', ')' -> found.add(ShellConstruct.SUBSHELL);
        case '{', '}' -> found.add(ShellConstruct.BRACE);
        case '#' -> {
          if (startsWord) {
            found.add(ShellConstruct.COMMENT);
          }
        }
        case '~' -> {
          if (startsWord) {
            found.add(ShellConstruct.TILDE);
          }
        }
        case '=' -> wordHasUnquotedEquals = true;
        default -> { }
      }
      word.append(c);
      i++;
    }
    if (word != null) {
      words.add(word.toString());
      assignment(words.size() == 1, wordHasUnquotedEquals, wordQuotedBeforeEquals, words.get(0), found);
    }
    List<String> names = new ArrayList<>();
    for (ShellConstruct construct : found) {
      names.add(construct.wireName());
    }
    names.sort(null);
    boolean plain = found.isEmpty();
    return new ShellCommand(line, plain ? words : List.of(), plain, names);
  }

  /** Reads a double-quoted part from just after its opening quote; returns the index after it. */
  private static int doubleQuoted(String line, int from, StringBuilder word, EnumSet<ShellConstruct> found) {
    int n = line.length();
    int i = from;
    while (i < n) {
      char c = line.charAt(i);
      control(c, found);
      switch (c) {
        case '"' -> {
          return i + 1;
        }
        case '\\' -> {
          if (i + 1 >= n) {
            found.add(ShellConstruct.UNTERMINATED_QUOTE);
            return n;
          }
          char next = line.charAt(i + 1);
          control(next, found);
          if (next == '\n' || next == '\r') {
            found.add(ShellConstruct.NEWLINE);
          }
          // Inside double quotes a backslash escapes only these; before anything else it stays.
          if ("$`\"\\\n".indexOf(next) < 0) {
            word.append(c);
          }
          word.append(next);
          i += 2;
          continue;
        }
        case '$' -> found.add(dollar(line, i));
        case '`' -> found.add(ShellConstruct.BACKTICK);
        case '\n', '\r' -> found.add(ShellConstruct.NEWLINE);
        default -> { }
      }
      word.append(c);
      i++;
    }
    found.add(ShellConstruct.UNTERMINATED_QUOTE);
    return n;
  }

  private static ShellConstruct dollar(String line, int at) {
    return at + 1 < line.length() && line.charAt(at + 1) == '('
        ? ShellConstruct.COMMAND_SUBSTITUTION : ShellConstruct.VARIABLE;
  }

  /**
   * A first word {@code NAME=value} is an assignment, not a command name: the shell would run the
   * next word with a changed environment.
   */
  private static void assignment(boolean first, boolean unquotedEquals, boolean quotedBefore, String word,
      EnumSet<ShellConstruct> found) {
    if (!first || !unquotedEquals || quotedBefore) {
      return;
    }
    int eq = word.indexOf('=');
    if (eq > 0 && isName(word, eq)) {
      found.add(ShellConstruct.VARIABLE);
    }
  }

  private static boolean isName(String word, int end) {
    char first = word.charAt(0);
    if (!(Character.isLetter(first) || first == '_')) {
      return false;
    }
    for (int i = 1; i < end; i++) {
      char c = word.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_')) {
        return false;
      }
    }
    return true;
  }

  private static void scanControls(String line, int from, int to, EnumSet<ShellConstruct> found) {
    for (int i = from; i < to; i++) {
      char c = line.charAt(i);
      control(c, found);
      if (c == '\n' || c == '\r') {
        found.add(ShellConstruct.NEWLINE);
      }
    }
  }

  private static void control(char c, EnumSet<ShellConstruct> found) {
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      found.add(ShellConstruct.CONTROL_CHARACTER);
    }
  }
}
