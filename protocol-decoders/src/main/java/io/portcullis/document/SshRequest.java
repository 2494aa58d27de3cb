package io.portcullis.document;

import static java.util.Objects.requireNonNull;

import io.portcullis.shell.ShellCommand;
import java.util.List;

/**
 * An SSH request: one channel request or one file operation of a session. One record for every
 * kind; the fields a kind does not use are null.
 *
 * @param kind {@code exec}, {@code shell}, {@code shell_line}, {@code subsystem}, {@code sftp},
 *     {@code env}, {@code port_forward}, {@code agent_forward} or {@code x11_forward}
 * @param command for {@code exec} and {@code shell_line}: the line as sent
 * @param argv for {@code exec} and {@code shell_line}: its words, empty unless {@code plain}
 * @param plain for {@code exec} and {@code shell_line}: whether the strict shell grammar made it a
 *     single simple command
 * @param constructs for {@code exec} and {@code shell_line}: the sorted names of what made it not
 *     plain
 * @param remoteUser the gateway's own account on the target
 * @param pty for {@code shell}: the terminal the client asked for, or null without one
 * @param subsystem for {@code subsystem}: its name ({@code sftp})
 * @param sftp for {@code sftp}: the file operation
 * @param env for {@code env}: the variable the client wants set
 * @param forward for {@code port_forward}: what would be forwarded
 */
public record SshRequest(
    String kind,
    String command,
    List<String> argv,
    Boolean plain,
    List<String> constructs,
    String remoteUser,
    Pty pty,
    String subsystem,
    SftpOperation sftp,
    Env env,
    Forward forward)
    implements ProtocolRequest {

  public SshRequest {
    requireNonNull(kind, "kind");
    argv = argv == null ? null : List.copyOf(argv);
    constructs = constructs == null ? null : List.copyOf(constructs);
  }

  /** An {@code exec} request for a command line. */
  public static SshRequest exec(ShellCommand command, String remoteUser) {
    return line("exec", command, remoteUser);
  }

  /** A {@code shell_line}: one line typed into an allowed interactive shell. */
  public static SshRequest shellLine(ShellCommand command, String remoteUser) {
    return line("shell_line", command, remoteUser);
  }

  private static SshRequest line(String kind, ShellCommand command, String remoteUser) {
    return new SshRequest(kind, command.command(), command.argv(), command.plain(), command.constructs(),
        remoteUser, null, null, null, null, null);
  }

  /** A {@code shell} request, with the terminal the client asked for or null. */
  public static SshRequest shell(Pty pty, String remoteUser) {
    return of("shell", remoteUser, pty, null, null, null, null);
  }

  /** A {@code subsystem} request ({@code sftp}). */
  public static SshRequest subsystem(String name, String remoteUser) {
    return of("subsystem", remoteUser, null, requireNonNull(name, "name"), null, null, null);
  }

  /** One SFTP file operation. */
  public static SshRequest sftp(SftpOperation operation, String remoteUser) {
    return of("sftp", remoteUser, null, null, requireNonNull(operation, "operation"), null, null);
  }

  /** An {@code env} request. */
  public static SshRequest env(String name, String value, String remoteUser) {
    return of("env", remoteUser, null, null, null, new Env(name, value), null);
  }

  /** A {@code port_forward} request. */
  public static SshRequest portForward(Forward forward, String remoteUser) {
    return of("port_forward", remoteUser, null, null, null, null, requireNonNull(forward, "forward"));
  }

  /** An {@code agent_forward} request. */
  public static SshRequest agentForward(String remoteUser) {
    return of("agent_forward", remoteUser, null, null, null, null, null);
  }

  /** An {@code x11_forward} request. */
  public static SshRequest x11Forward(String remoteUser) {
    return of("x11_forward", remoteUser, null, null, null, null, null);
  }

  private static SshRequest of(String kind, String remoteUser, Pty pty, String subsystem, SftpOperation sftp,
      Env env, Forward forward) {
    return new SshRequest(kind, null, null, null, null, remoteUser, pty, subsystem, sftp, env, forward);
  }

  /**
   * The terminal of an interactive session.
   *
   * @param term the TERM name
   * @param cols columns
   * @param rows rows
   */
  public record Pty(String term, int cols, int rows) {}

  /**
   * An environment variable the client asks to set.
   *
   * @param name its name
   * @param value its value
   */
  public record Env(String name, String value) {
    public Env {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
    }
  }

  /**
   * A port forwarding.
   *
   * @param direction {@code local} (the client's {@code -L}: the gateway would connect to
   *     host:port) or {@code remote} ({@code -R}: the gateway would listen on host:port)
   * @param host the host to connect to or bind
   * @param port the port
   */
  public record Forward(String direction, String host, int port) {
    public Forward {
      requireNonNull(direction, "direction");
      requireNonNull(host, "host");
    }
  }
}
