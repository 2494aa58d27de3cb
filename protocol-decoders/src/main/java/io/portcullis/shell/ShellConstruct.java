package io.portcullis.shell;

import java.util.Locale;

/**
 * A shell construct that makes a command line more than one simple command, named as the request
 * document's {@code constructs} list names it.
 */
public enum ShellConstruct {
  /** {@code ;} between commands. */
  SEMICOLON,
  /** {@code |} between commands. */
  PIPE,
  /** {@code &&}. */
  AND,
  /** {@code ||}. */
  OR,
  /** A trailing or separating {@code &}. */
  BACKGROUND,
  /** {@code $(...)} or {@code $((...))}. */
  COMMAND_SUBSTITUTION,
  /** {@code `...`}. */
  BACKTICK,
  /** {@code $name}, {@code ${...}}, any other {@code $} expansion, or a {@code NAME=value} prefix. */
  VARIABLE,
  /** {@code <}, {@code >}, {@code >>}, {@code 2>&1}, {@code <<}, {@code <<<}, {@code &>}. */
  REDIRECTION,
  /** A line feed or carriage return anywhere in the line. */
  NEWLINE,
  /** An unquoted {@code *}, {@code ?} or {@code [}. */
  GLOB,
  /** An unquoted {@code (} or {@code )}. */
  SUBSHELL,
  /** An unquoted {@code {} or {@code }}: brace expansion or a command group. */
  BRACE,
  /** An unquoted {@code #} that starts a word. */
  COMMENT,
  /** An unquoted {@code ~} that starts a word. */
  TILDE,
  /** A quote left open, or a backslash at the very end. */
  UNTERMINATED_QUOTE,
  /** A NUL, another C0 control character but tab, LF and CR, or DEL, anywhere in the line. */
  CONTROL_CHARACTER;

  /** The name in the request document: {@code command_substitution}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
