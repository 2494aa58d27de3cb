package io.portcullis.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShellParserTest {

  private static ShellCommand parse(String line) {
    return ShellParser.parse(line);
  }

  private static void plain(String line, String... argv) {
    ShellCommand c = parse(line);
    assertThat(c.constructs()).as(line).isEmpty();
    assertThat(c.plain()).as(line).isTrue();
    assertThat(c.argv()).as(line).containsExactly(argv);
    assertThat(c.command()).isEqualTo(line);
  }

  private static void notPlain(String line, String... constructs) {
    ShellCommand c = parse(line);
    assertThat(c.plain()).as(line).isFalse();
    assertThat(c.argv()).as(line).isEmpty();
    assertThat(c.constructs()).as(line).containsExactly(constructs);
  }

  @Test
  void simpleCommandsAreSplitIntoWords() {
    plain("systemctl status nginx", "systemctl", "status", "nginx");
    plain("  ls   -la\t/var/log  ", "ls", "-la", "/var/log");
    plain("cat /etc/hostname", "cat", "/etc/hostname");
    plain("", new String[0]);
    plain("grep -e a=b file", "grep", "-e", "a=b", "file");
  }

  @Test
  void quotesAndEscapesAreRemoved() {
    plain("echo 'a b' \"c d\" e\\ f", "echo", "a b", "c d", "e f");
    plain("echo 'it'\\''s'", "echo", "it's");
    plain("echo \"a\\\"b\" \"x\\\\y\" \"\\n\"", "echo", "a\"b", "x\\y", "\\n");
    plain("echo ''", "echo", "");
    plain("echo '$HOME' '`id`' '; rm' '*'", "echo", "$HOME", "`id`", "; rm", "*");
    plain("echo \\; \\| \\& \\* \\$x \\#", "echo", ";", "|", "&", "*", "$x", "#");
    plain("a#b x~y", "a#b", "x~y");
  }

  @Test
  void separatorsAreNamed() {
    notPlain("ls; rm -rf /", "semicolon");
    notPlain("ls | sh", "pipe");
    notPlain("true && rm x", "and");
    notPlain("false || rm x", "or");
    notPlain("sleep 9 &", "background");
    notPlain("a&b", "background");
    notPlain("a;b|c&&d||e&", "and", "background", "or", "pipe", "semicolon");
  }

  @Test
  void expansionsAreNamedOutsideSingleQuotes() {
    // Unquoted, its parentheses are named too.
    notPlain("echo $(id)", "command_substitution", "subshell");
    notPlain("echo \"$(id)\"", "command_substitution");
    notPlain("echo \"$((1+2))\"", "command_substitution");
    notPlain("echo `id`", "backtick");
    notPlain("echo \"`id`\"", "backtick");
    notPlain("echo $HOME", "variable");
    notPlain("echo ${x}", "brace", "variable");
    notPlain("echo \"${x}\"", "variable");
    notPlain("echo $", "variable");
    notPlain("FOO=bar ls", "variable");
    notPlain("LD_PRELOAD=/tmp/x.so cat f", "variable");
    plain("\"FOO\"=bar ls", "FOO=bar", "ls");
    plain("ls FOO=bar", "ls", "FOO=bar");
  }

  @Test
  void redirectionsAreNamed() {
    notPlain("cat a > b", "redirection");
    notPlain("cat a >> b", "redirection");
    notPlain("cat < a", "redirection");
    notPlain("cmd 2>&1", "redirection");
    notPlain("cmd 2>&1 &", "background", "redirection");
    notPlain("cmd <&3", "redirection");
    notPlain("cmd &> out", "redirection");
    notPlain("cat <<EOF", "redirection");
    notPlain("cat <<< x", "redirection");
    notPlain("cat <> f", "redirection");
    notPlain("cat >| f", "pipe", "redirection");
  }

  @Test
  void newlinesAndCarriageReturnsAreNamedEverywhere() {
    notPlain("ls\nrm -rf /", "newline");
    notPlain("ls\rrm", "newline");
    notPlain("echo 'a\nb'", "newline");
    notPlain("echo \"a\nb\"", "newline");
    notPlain("ls \\\nrm", "newline");
    notPlain("echo \"a\\\nb\"", "newline");
  }

  @Test
  void controlCharactersAreNamedEverywhere() {
    notPlain("ls\u0000rm", "control_character");
    notPlain("echo '\u001b[2J'", "control_character");
    notPlain("echo \"\u0007\"", "control_character");
    notPlain("ls\u007f", "control_character");
    notPlain("ls \\\u0001", "control_character");
  }

  @Test
  void globsBracesTildesCommentsAndSubshellsAreNamedUnquoted() {
    notPlain("rm *", "glob");
    notPlain("ls ?", "glob");
    notPlain("ls [ab]", "glob");
    notPlain("echo {a,b}", "brace");
    notPlain("{ ls; }", "brace", "semicolon");
    notPlain("cat ~/x", "tilde");
    notPlain("cat ~root/.ssh/id_rsa", "tilde");
    notPlain("ls # rm", "comment");
    notPlain("(rm x)", "subshell");
    plain("ls '*' \"?\" \\[", "ls", "*", "?", "[");
    plain("echo \"{a,b}\" \"~\" \"#\"", "echo", "{a,b}", "~", "#");
  }

  @Test
  void unterminatedQuotesAreNamed() {
    notPlain("echo 'abc", "unterminated_quote");
    notPlain("echo \"abc", "unterminated_quote");
    notPlain("echo abc\\", "unterminated_quote");
    notPlain("echo \"abc\\", "unterminated_quote");
    notPlain("echo '$(x)", "unterminated_quote");
    notPlain("echo \"$(x)", "command_substitution", "unterminated_quote");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '\u0000', value = {
      "rm -rf /var/lib/postgresql|rm,-rf,/var/lib/postgresql",
      "systemctl restart nginx|systemctl,restart,nginx",
      "tail -n 100 /var/log/syslog|tail,-n,100,/var/log/syslog"})
  void commonCommandsArePlain(String line, String argv) {
    plain(line, argv.split(","));
  }

  @Test
  void forwardedLineQuotesEveryWordSoAnyShellRunsTheSameArgv() {
    assertThat(parse("echo 'a b' c").forwarded()).isEqualTo("echo 'a b' c");
    assertThat(parse("echo \"it's\"").forwarded()).isEqualTo("echo 'it'\\''s'");
    assertThat(parse("echo ''").forwarded()).isEqualTo("echo ''");
    assertThat(parse("echo '$x'").forwarded()).isEqualTo("echo '$x'");
    assertThat(parse("ls; rm").forwarded()).isEqualTo("ls; rm");
    // What the forwarded line parses to is the same argv.
    for (String line : List.of("a 'b c' \"d'e\" f\\ g", "x '' y", "'*' '?' '~' '#x'")) {
      ShellCommand first = parse(line);
      assertThat(parse(first.forwarded()).argv()).isEqualTo(first.argv());
    }
  }

  @Test
  void overlongLinesAreRefused() {
    assertThatThrownBy(() -> parse("a".repeat(ShellParser.MAX_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("length: 65537 (expected: <= 65536)");
  }

  @Test
  void notPlainCommandsCarryNoArgv() {
    assertThatThrownBy(() -> new ShellCommand("x", List.of("x"), false, List.of("pipe")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
