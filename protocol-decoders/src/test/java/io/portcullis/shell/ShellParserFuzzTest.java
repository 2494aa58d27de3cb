package io.portcullis.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of {@link ShellParser#parse}, whose result the SSH policy decides on.
 *
 * <p>Oracle, for any line: it never throws; a plain line names no construct, holds no control
 * character, line feed or carriage return, and the line forwarded for it parses back, plain, to
 * the same argv (so what the target's shell runs is what the policy saw); a line that is not plain
 * carries no argv and names at least one construct, in sorted order.
 */
class ShellParserFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void parse(byte[] data) {
    String line = new String(data, StandardCharsets.UTF_8);
    if (line.length() > ShellParser.MAX_LENGTH) {
      return;
    }
    ShellCommand command = ShellParser.parse(line);
    if (command.plain()) {
      assertThat(command.constructs()).isEmpty();
      assertThat(line.chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7F)).as(line).isTrue();
      ShellCommand again = ShellParser.parse(command.forwarded());
      assertThat(again.plain()).as("forwarded %s", command.forwarded()).isTrue();
      assertThat(again.argv()).isEqualTo(command.argv());
    } else {
      assertThat(command.argv()).isEmpty();
      assertThat(command.constructs()).isNotEmpty().isSorted();
    }
  }
}
