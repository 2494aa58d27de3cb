package io.portcullis.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code portcullis} command line. */
@Command(
    name = "portcullis",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Layer 7 policy enforcement gateway driven by Open Policy Agent.",
    subcommands = {RunCommand.class, DevTokenCommand.class, CheckConfigCommand.class,
        ApprovalsCommand.class, AuditCommand.class, SessionsCommand.class})
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, with a bad option value (IllegalArgumentException) reported as one line, exit 2. */
  static CommandLine commandLine() {
    return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof IllegalArgumentException) {
        cmd.getErr().println("portcullis: " + e.getMessage());
        return 2;
      }
      throw e;
    });
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"portcullis " + (version == null ? "development build" : version)};
    }
  }
}
