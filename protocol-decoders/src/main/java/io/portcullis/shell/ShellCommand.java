package io.portcullis.shell;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A command line as the strict shell grammar sees it.
 *
 * @param command the line exactly as sent
 * @param argv the words after quote removal; empty unless {@code plain}
 * @param plain whether the line is a single simple command: words only, nothing the shell expands
 * @param constructs the sorted wire names of what made the line not plain; empty when plain
 */
public record ShellCommand(String command, List<String> argv, boolean plain, List<String> constructs) {

  public ShellCommand {
    requireNonNull(command, "command");
    argv = List.copyOf(argv);
    constructs = List.copyOf(constructs);
    if (!plain && !argv.isEmpty()) {
      throw new IllegalArgumentException("argv: " + argv.size() + " words (expected: none when not plain)");
    }
  }

  /**
   * The line to send to the target's shell: for a plain line, its argv with every word quoted so
   * that any POSIX shell runs exactly these words; else the line as sent.
   */
  public String forwarded() {
    return plain ? ShellQuoting.join(argv) : command;
  }
}
