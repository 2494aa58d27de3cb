package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.OpenSshServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import io.portcullis.it.fixture.SshGatewayFixture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelSubsystem;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SSH attack catalogue: command smuggling in every shell syntax we know, environment requests
 * that change what a shell runs, subsystems other than sftp, legacy scp with a smuggling file
 * name, SFTP traversal and links, forwarding of every kind and an interactive line edited with
 * control keys, sent with the real ssh, scp and sftp (or MINA's client, for bytes OpenSSH will not
 * send) through the gateway to the real OpenSSH server. The witness is on the target: each row's
 * smuggled command would create the row's marker file there, a smuggled read would print a line of
 * {@code /etc/passwd}, and sshd's own log (LogLevel VERBOSE) records every command session,
 * subsystem and forwarding request that reached it (a refused command line must start none). The figure, "requests that policy forbids which reached the
 * target", must be 0.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SshAttackCatalogIT {

  private static OpaServer opa;
  private static OpenSshServer sshd;
  private static SshGatewayFixture gw;
  private static Path work;
  private static SshClient mina;

  /** What a row expects of the gateway. */
  enum Verdict {
    /** Refused: the command, request or operation never reaches the target. */
    DENIED,
    /** Runs, and still nothing smuggled runs. */
    ALLOWED,
    /** Either, as long as nothing forbidden reaches the target. */
    EITHER
  }

  /** Runs a row's payload; {@code marker} is the file a smuggled command would create. */
  @FunctionalInterface
  interface Action {
    Outcome run(String token, Path marker) throws Exception;
  }

  /** Whether the gateway refused (a 126/255 exit, a refused request) and everything printed. */
  record Outcome(boolean refused, String output) {}

  /** One row; {@code exec} says the payload is a command line, so a refusal leaves no session on the target. */
  record Row(int no, String what, List<String> groups, Verdict verdict, boolean exec, Action action) {
    Path marker() {
      return work.resolve("marker-%03d".formatted(no));
    }

    @Override
    public String toString() {
      return "ssh_%03d %s".formatted(no, what);
    }
  }

  /** What a row left on the target: the marker, lines of /etc/passwd, new sshd log lines that should not be. */
  record Witness(Outcome outcome, List<String> forbidden) {}

  private static final Map<Integer, Witness> witnesses = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    opa = new OpaServer(Repo.root().resolve("policies")).start();
    sshd = OpenSshServer.start();
    gw = SshGatewayFixture.start(opa.url(), sshd, "", "");
    work = sshd.workDir();
    Files.writeString(work.resolve("hello.txt"), "hello\n");
    mina = SshClient.setUpDefaultClient();
    mina.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
    mina.start();
  }

  @AfterAll
  static void stop() {
    if (mina != null) {
      mina.stop();
    }
    if (gw != null) {
      gw.close();
    }
    if (sshd != null) {
      sshd.close();
    }
    if (opa != null) {
      opa.close();
    }
  }

  private static final List<String> R = List.of("readers");
  private static final List<String> OP = List.of("operators");

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    Builder b = new Builder(rows);
    // ---- command smuggling in an exec (a reader may echo and cat under /tmp, never touch) ----
    b.exec("semicolon", Verdict.DENIED, "echo a; touch {M}");
    b.exec("semicolon without spaces", Verdict.DENIED, "echo a;touch {M}");
    b.exec("&&", Verdict.DENIED, "echo a && touch {M}");
    b.exec("||", Verdict.DENIED, "ls /tmp/none-such || touch {M}");
    b.exec("pipe", Verdict.DENIED, "echo a | touch {M}");
    b.exec("|& pipe", Verdict.DENIED, "echo a |& touch {M}");
    b.exec("background &", Verdict.DENIED, "touch {M} & echo a");
    b.exec("$(...)", Verdict.DENIED, "echo $(touch {M})");
    b.exec("backticks", Verdict.DENIED, "echo `touch {M}`");
    b.exec("${IFS}", Verdict.DENIED, "echo${IFS}a;touch${IFS}{M}");
    b.exec("$IFS as the only separator", Verdict.DENIED, "touch$IFS{M}");
    b.exec("newline", Verdict.DENIED, "echo a\ntouch {M}");
    b.exec("carriage return", Verdict.DENIED, "echo a\rtouch {M}");
    b.exec("backslash-newline continuation", Verdict.DENIED, "echo a \\\n; touch {M}");
    b.exec("a quote that closes early", Verdict.DENIED, "echo 'a'; touch {M} 'b'");
    b.exec("double quote closed then semicolon", Verdict.DENIED, "echo \"a\"; touch {M}");
    b.exec("unterminated quote", Verdict.DENIED, "echo 'a; touch {M}");
    b.exec("$'...' ANSI-C quoting", Verdict.EITHER, "echo $'a\\x3b' touch {M}");
    b.exec("$'\\n' in a word", Verdict.EITHER, "echo a$'\\n'touch {M}");
    b.exec("escaped semicolon is an argument", Verdict.ALLOWED, "echo a\\; touch {M}");
    // The policy reads every operand with a slash as a path, even echo's: refused, and harmless.
    b.exec("quoted semicolon is an argument", Verdict.EITHER, "echo 'a; touch {M}'");
    b.exec("escaped space makes one word", Verdict.DENIED, "touch\\ {M}");
    b.exec("glob in the command name", Verdict.DENIED, "/usr/bin/tou?h {M}");
    b.exec("glob in a path", Verdict.DENIED, "cat /tmp/../e*/passwd");
    b.exec("brace expansion", Verdict.DENIED, "{touch,{M}}");
    b.exec("subshell", Verdict.DENIED, "(touch {M})");
    b.exec("process substitution", Verdict.DENIED, "cat <(touch {M})");
    b.exec("redirection >", Verdict.DENIED, "echo x > {M}");
    b.exec("redirection >> without a space", Verdict.DENIED, "echo x>>{M}");
    b.exec("redirection 1>", Verdict.DENIED, "echo x 1>{M}");
    b.exec("redirection &>", Verdict.DENIED, "echo x &>{M}");
    b.exec("redirection >|", Verdict.DENIED, "echo x >|{M}");
    b.exec("here-string", Verdict.DENIED, "cat <<<$(touch {M})");
    b.exec("variable assignment prefix", Verdict.DENIED, "BASH_ENV={M} echo a");
    b.exec("a variable as the command", Verdict.DENIED, "$0 -c 'touch {M}'");
    b.exec("tilde", Verdict.DENIED, "cat ~/../../etc/passwd");
    b.exec("comment hides nothing", Verdict.DENIED, "echo a #; touch {M}");
    b.exec("history expansion", Verdict.DENIED, "echo !!; touch {M}");
    b.exec("exec builtin", Verdict.DENIED, "exec touch {M}");
    b.exec("dot-dot under an allowed prefix", Verdict.DENIED, "cat /tmp/../etc/passwd");
    b.exec("grep -f reads a file outside the prefixes", Verdict.DENIED, "grep -f/etc/passwd /tmp/");
    b.exec("date -f reads a relative file", Verdict.DENIED, "date -f ../../etc/passwd");
    b.exec("echo with a relative path is harmless", Verdict.EITHER, "echo ../../etc/passwd");
    b.exec("rm -rf through an absolute path", Verdict.DENIED, "/bin/rm -rf {M}");
    b.exec("control: a plain read runs", Verdict.ALLOWED, "cat /tmp/");
    // ---- bytes OpenSSH will not put in a command line ----
    b.mina("NUL then a semicolon", Verdict.DENIED, "echo a\0; touch {M}", Map.of());
    b.mina("NUL in the command name", Verdict.DENIED, "touch\0echo {M}", Map.of());
    b.mina("invalid UTF-8", Verdict.DENIED, "echo \u00ff\u00fe; touch {M}", Map.of());
    b.mina("ESC sequences", Verdict.DENIED, "echo \u001b[2J; touch {M}", Map.of());
    // ---- environment requests ----
    b.envRow("BASH_ENV names a script", Verdict.EITHER, "BASH_ENV", "{S}");
    b.envRow("ENV names a script", Verdict.EITHER, "ENV", "{S}");
    b.envRow("LD_PRELOAD", Verdict.EITHER, "LD_PRELOAD", "/tmp/none-such.so");
    b.envRow("PATH to a directory with a fake echo", Verdict.EITHER, "PATH", "{W}");
    b.envRow("SHELLOPTS=xtrace with PS4", Verdict.EITHER, "PS4", "$(touch {M})");
    b.envRow("BASH_FUNC_echo%% exported function", Verdict.EITHER, "BASH_FUNC_echo%%", "() { touch {M}; }");
    b.envRow("LC_ with a shellshock value (allowed, inert)", Verdict.EITHER, "LC_X", "() { :;}; touch {M}");
    b.envRow("LANG with a command substitution (allowed, inert)", Verdict.EITHER, "LANG", "$(touch {M})");
    // ---- subsystems other than sftp ----
    for (String name : List.of("shell", "sftp-server", "../sftp", "netconf", "/usr/lib/openssh/sftp-server", "sftp ")) {
      b.subsystem(name, name, Verdict.DENIED);
    }
    // MINA finds subsystems by name ignoring case and reads the name as a C string: these are
    // decided, relayed and inspected as sftp, which is what the target runs (its log says 'sftp').
    b.subsystem("SFTP", "SFTP", Verdict.EITHER);
    b.subsystem("sftp\\0", "sftp\0", Verdict.EITHER);
    // ---- legacy scp with a smuggling file name ----
    b.scp("scp -O upload to a name with a semicolon", Verdict.DENIED, true, "{W}/x;touch {M}");
    b.scp("scp -O upload to a name with $(...)", Verdict.DENIED, true, "{W}/$(touch {M})");
    b.scp("scp -O download of a name with backticks", Verdict.DENIED, false, "{W}/`touch {M}`");
    // ---- sftp traversal and links ----
    b.sftp("sftp get through dot-dot", Verdict.DENIED, "get /tmp/../etc/passwd {L}\n");
    b.sftp("sftp ls through dot-dot", Verdict.DENIED, "ls /srv/../etc\n");
    b.sftp("sftp put outside the upload directory", Verdict.DENIED, "put {H} {M}\n");
    b.sftp("sftp symlink to /etc/passwd", Verdict.DENIED, "symlink /etc/passwd {M}\n");
    b.sftp("sftp hard link", Verdict.DENIED, "ln {W}/hello.txt {M}\n");
    b.sftp("sftp rename into place", Verdict.DENIED, "rename {W}/hello.txt {M}\n");
    b.sftp("sftp relative path from the home directory", Verdict.DENIED, "get ../../etc/passwd {L}\n");
    // ---- forwarding ----
    b.ssh("local port forward -L", List.of("-N", "-o", "ExitOnForwardFailure=yes", "-L", "127.0.0.1:{P}:127.0.0.1:22"));
    b.ssh("remote port forward -R", List.of("-N", "-o", "ExitOnForwardFailure=yes", "-R", "127.0.0.1:0:127.0.0.1:22"));
    b.ssh("dynamic forward -D", List.of("-N", "-o", "ExitOnForwardFailure=yes", "-D", "127.0.0.1:{P}"));
    b.ssh("agent forwarding -A", List.of("-A"), "echo agent");
    b.ssh("X11 forwarding -X", List.of("-X"), "echo x11");
    b.ssh("stdio forward -W", List.of("-W", "127.0.0.1:22"));
    // ---- an interactive shell line edited with control keys (operators may open a shell) ----
    String cp = "cp /etc/hostname {M}";
    b.shell("backspaces turn an echo into a cp", "echo hi" + "\u007f".repeat(7) + cp + "\n");
    b.shell("^H backspaces", "echo hi" + "\b".repeat(7) + cp + "\n");
    b.shell("^U kills the line, then a cp", "echo hi\u0015" + cp + "\n");
    b.shell("^W kills a word", "echo " + "\u0017" + cp + "\n");
    b.shell("^U then ^Y yanks the killed text", cp + "\u0015echo hi\u0001\u0019; \n");
    b.shell("arrow keys insert a semicolon", "echo hi " + cp + "\u001b[D".repeat(cp.length() + 1) + ";\n");
    b.shell("^A moves home and inserts", cp + "\u0001echo hi;\n");
    b.shell("^V quotes a newline", "echo hi\u0016\n" + cp + "\n");
    b.shell("bracketed paste", "\u001b[200~" + cp + "\n\u001b[201~");
    b.shell("tab completion", "c\t /etc/hostname {M}\n");
    b.shell("history expansion !!", cp + "\u0003!!\n");
    b.shell("ESC . yanks the last argument", "echo " + cp + "\n\u001b.\n");
    return rows;
  }

  /** Numbers rows as they are added. */
  private static final class Builder {
    private final List<Row> rows;

    Builder(List<Row> rows) {
      this.rows = rows;
    }

    private void add(String what, List<String> groups, Verdict verdict, Action action) {
      rows.add(new Row(rows.size() + 1, what, groups, verdict, false, action));
    }

    private void addExec(String what, Verdict verdict, Action action) {
      rows.add(new Row(rows.size() + 1, what, R, verdict, true, action));
    }

    void exec(String what, Verdict verdict, String command) {
      addExec(what, verdict, (token, marker) -> {
        Processes.Result r = gw.ssh(token, "web-1", fill(command, marker), null);
        return new Outcome(r.exitCode() == 126 || r.exitCode() == 255, r.output());
      });
    }

    void mina(String what, Verdict verdict, String command, Map<String, String> env) {
      addExec(what, verdict, (token, marker) -> minaExec(token, fill(command, marker), env));
    }

    void envRow(String what, Verdict verdict, String name, String value) {
      add(what, R, verdict, (token, marker) -> {
        Path script = work.resolve(marker.getFileName() + ".sh");
        Files.writeString(script, "touch " + marker + "\n");
        Path fake = work.resolve(marker.getFileName() + "-bin");
        Files.createDirectories(fake);
        Files.writeString(fake.resolve("echo"), "#!/bin/sh\ntouch " + marker + "\n");
        fake.resolve("echo").toFile().setExecutable(true, false);
        String v = value.replace("{S}", script.toString()).replace("{W}", fake.toString()).replace("{M}", marker.toString());
        Map<String, String> env = "PS4".equals(name) ? Map.of("SHELLOPTS", "xtrace", name, v) : Map.of(name, v);
        Outcome o = minaExec(token, "echo env", env);
        return new Outcome(!o.output().isEmpty() && o.output().contains("not passed"), o.output());
      });
    }

    void subsystem(String what, String name, Verdict verdict) {
      add("subsystem " + what, R, verdict, (token, marker) -> {
        try (ClientSession s = login(token)) {
          ChannelSubsystem ch = s.createSubsystemChannel(name);
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          ch.setOut(out);
          ch.setErr(out);
          boolean opened;
          try {
            opened = ch.open().verify(Duration.ofSeconds(10)).isOpened();
          } catch (Exception refused) {
            return new Outcome(true, String.valueOf(refused.getMessage()));
          }
          // A refused subsystem request leaves the channel open (RFC 4254 6.5): wait briefly.
          ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(1));
          Integer status = ch.getExitStatus();
          return new Outcome(!opened || status == null || status != 0, out.toString(StandardCharsets.UTF_8)
              + " exit " + status);
        }
      });
    }

    void scp(String what, Verdict verdict, boolean upload, String remote) {
      addExec(what, verdict, (token, marker) -> {
        Path local = Files.createTempFile("portcullis-scp-", ".txt");
        Files.writeString(local, "payload\n");
        String target = "web-1@127.0.0.1:" + fill(remote, marker);
        List<String> command = new ArrayList<>(List.of("scp", "-O", "-F", "/dev/null", "-P", String.valueOf(gw.sshPort()),
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "PreferredAuthentications=password",
            "-o", "PubkeyAuthentication=no", "-o", "BatchMode=no", "-o", "NumberOfPasswordPrompts=1", "-o", "LogLevel=ERROR"));
        command.addAll(upload ? List.of(local.toString(), target) : List.of(target, local.toString() + ".down"));
        Processes.Result r = Processes.run(command, gw.env(token), null, Duration.ofSeconds(30));
        return new Outcome(r.exitCode() != 0, r.output());
      });
    }

    void sftp(String what, Verdict verdict, String batch) {
      add(what, R, verdict, (token, marker) -> {
        Path local = work.resolveSibling(marker.getFileName() + "-local");
        String filled = fill(batch, marker).replace("{L}", local.toString()).replace("{H}", work.resolve("hello.txt").toString());
        Processes.Result r = gw.sftp(token, "web-1", filled);
        String got = Files.exists(local) ? Files.readString(local) : "";
        return new Outcome(r.exitCode() != 0, r.output() + got);
      });
    }

    void ssh(String what, List<String> options, String... remote) {
      add(what, R, Verdict.EITHER, (token, marker) -> {
        List<String> opts = options.stream().map(o -> o.replace("{P}", String.valueOf(
            io.portcullis.it.fixture.FreePorts.next())).replace(":22", ":" + sshd.port())).toList();
        List<String> command = new ArrayList<>(gw.sshCommand("web-1", "password", opts.toArray(String[]::new)));
        command.addAll(List.of(remote));
        // Forwarding sessions do not end by themselves: they run for at most 2 s.
        Processes.Result r = Processes.run(List.of("timeout", "2", "sh", "-c", shellJoin(command) + "</dev/null"),
            gw.env(token), null, Duration.ofSeconds(15));
        return new Outcome(r.exitCode() != 0, r.output());
      });
    }

    void shell(String what, String typed) {
      add("shell: " + what, OP, Verdict.EITHER, (token, marker) -> {
        Processes.Result r = gw.ssh(token, "web-1", null, fill(typed, marker) + "\nexit\n", "-tt");
        return new Outcome(r.output().contains("denied"), r.output());
      });
    }
  }

  private static String shellJoin(List<String> args) {
    StringBuilder out = new StringBuilder();
    for (String a : args) {
      out.append('\'').append(a.replace("'", "'\\''")).append("' ");
    }
    return out.toString();
  }

  private static String fill(String template, Path marker) {
    return template.replace("{M}", marker.toString()).replace("{W}", work.toString());
  }

  private static ClientSession login(String token) throws Exception {
    ClientSession s = mina.connect("web-1", "127.0.0.1", gw.sshPort()).verify(Duration.ofSeconds(10)).getSession();
    s.addPasswordIdentity(token);
    s.auth().verify(Duration.ofSeconds(10));
    return s;
  }

  /** An exec by MINA's client, with env requests first; refused means a 126 exit or no exit status. */
  private static Outcome minaExec(String token, String command, Map<String, String> env) throws Exception {
    try (ClientSession s = login(token)) {
      ChannelExec ch = s.createExecChannel(command);
      env.forEach(ch::setEnv);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ch.setOut(out);
      ch.setErr(out);
      ch.open().verify(Duration.ofSeconds(10));
      ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(10));
      Integer status = ch.getExitStatus();
      return new Outcome(status == null || status == 126, out.toString(StandardCharsets.UTF_8) + " exit " + status);
    }
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachAttackGetsItsVerdict(Row row) throws Exception {
    String token = gw.token("ssh-attacker-" + row.no(), row.groups().toArray(String[]::new));
    int logBefore = sshd.log().length();
    Outcome outcome = row.action().run(token, row.marker());
    Thread.sleep(50);
    String logAdded = sshd.log().substring(Math.min(logBefore, sshd.log().length()));
    List<String> forbidden = new ArrayList<>();
    if (Files.exists(row.marker())) {
      forbidden.add("the marker " + row.marker() + " exists: a smuggled command ran");
    }
    if (outcome.output().contains("root:x:0:0")) {
      forbidden.add("a line of /etc/passwd came back: a read outside the allowed paths ran");
    }
    for (String line : logAdded.lines().toList()) {
      boolean subsystem = line.contains("Starting session: subsystem '") && !line.contains("subsystem 'sftp' for");
      if (row.exec() && row.verdict() == Verdict.DENIED && line.contains("Starting session: command")) {
        forbidden.add("sshd started a command session for a refused command line: " + line.strip());
      }
      boolean forward = line.matches("(?i).*(port forward|forwarding|x11|agent|direct-tcpip|streamlocal).*")
          && !line.contains("Accepted");
      if (subsystem || forward) {
        forbidden.add("sshd: " + line.strip());
      }
    }
    witnesses.put(row.no(), new Witness(outcome, forbidden));
    assertThat(forbidden).as("what reached the target; client saw: %s", head(outcome.output())).isEmpty();
    switch (row.verdict()) {
      case DENIED -> assertThat(outcome.refused()).as("refused; client saw: %s", head(outcome.output())).isTrue();
      case ALLOWED -> assertThat(outcome.refused()).as("allowed; client saw: %s", head(outcome.output())).isFalse();
      case EITHER -> { }
    }
  }

  private static String head(String text) {
    String flat = text.replace("\r", "").replace("\n", " | ");
    return flat.length() > 500 ? flat.substring(0, 500) + "..." : flat;
  }

  @Order(2)
  @Test
  void theTargetShowsNothingThePolicyForbids() {
    List<Row> rows = rows();
    assertThat(witnesses).as("every row ran first").hasSize(rows.size());
    List<String> reached = new ArrayList<>();
    int refused = 0;
    for (Row row : rows) {
      Witness w = witnesses.get(row.no());
      if (!w.forbidden().isEmpty()) {
        reached.add(row + ": " + w.forbidden());
      }
      if (w.outcome().refused()) {
        refused++;
      }
    }
    System.out.println("ssh attack catalogue: " + reached.size() + " requests that policy forbids reached the target ("
        + rows.size() + " rows, " + refused + " refused by the gateway); witness: marker files, /etc/passwd lines"
        + " and sshd's log (LogLevel VERBOSE)");
    assertThat(reached).as("forbidden requests that reached the target").isEmpty();
  }
}
