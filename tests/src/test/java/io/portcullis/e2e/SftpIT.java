package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.OpenSshServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import io.portcullis.it.fixture.SshGatewayFixture;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real OpenSSH {@code sftp} and {@code scp} clients through the gateway to the real OpenSSH
 * server: each file operation decided by path (reads under {@code files/}, changes only under
 * {@code upload/}, both given to the policy as data.sites.sftp), refusals seen by the client as
 * "Permission denied" and never reaching the target; and legacy {@code scp -O}, which arrives as
 * an exec of {@code scp -t}/{@code scp -f} and is decided as one.
 */
class SftpIT {

  private static OpenSshServer sshd;
  private static OpaServer opa;
  private static SshGatewayFixture gw;
  private static Path work;
  private static Path files;
  private static Path upload;
  private static Path local;
  private static Path policies;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    sshd = OpenSshServer.start();
    work = sshd.workDir();
    files = open(work.resolve("files"));
    upload = open(work.resolve("upload"));
    Files.writeString(files.resolve("a.txt"), "the quick brown fox\n");
    local = Files.createTempDirectory("portcullis-sftp-local-");
    policies = Files.createTempDirectory("portcullis-sftp-policies-");
    copy(Repo.root().resolve("policies"), policies);
    Files.writeString(policies.resolve("data.json"), """
        {"sites": {"sftp": {"read_dirs": ["%s"], "upload_dirs": ["%s"]}}}
        """.formatted(files, upload));
    opa = new OpaServer(policies).start();
    gw = SshGatewayFixture.start(opa.url(), sshd, "", "");
    token = gw.token("alice", "readers");
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (opa != null) {
      opa.close();
    }
    if (sshd != null) {
      sshd.close();
    }
  }

  @Test
  void readIsAllowedAndWriteIsDeniedByPath() throws IOException {
    Path got = local.resolve("got.txt");
    Path mine = local.resolve("mine.txt");
    Files.writeString(mine, "not for the files directory\n");
    Processes.Result r = sftp("get " + files.resolve("a.txt") + " " + got + "\n"
        + "put " + mine + " " + files.resolve("mine.txt") + "\n");
    assertThat(Files.readString(got)).as(r.output()).isEqualTo("the quick brown fox\n");
    assertThat(r.stderr()).contains("Permission denied");
    assertThat(files.resolve("mine.txt")).doesNotExist();
    assertThat(gw.decisionLog()).contains("sftp open");
    assertThat(auditText()).contains("\"path\":\"" + files.resolve("a.txt") + "\"")
        .contains("\"access\":\"read\"");
  }

  @Test
  void renameAndRemoveOutsideTheUploadDirectoryAreDenied() throws IOException {
    Path keep = Files.writeString(files.resolve("keep.txt"), "keep\n");
    Path mine = Files.writeString(local.resolve("r.txt"), "r\n");
    Processes.Result r = sftp("rename " + keep + " " + upload.resolve("keep.txt") + "\n"
        + "rm " + keep + "\n"
        + "put " + mine + " " + upload.resolve("r1.txt") + "\n"
        + "rename " + upload.resolve("r1.txt") + " " + upload.resolve("r2.txt") + "\n"
        + "rename " + upload.resolve("r2.txt") + " " + files.resolve("r2.txt") + "\n");
    assertThat(keep).as(r.output()).exists();
    assertThat(upload.resolve("keep.txt")).doesNotExist();
    assertThat(upload.resolve("r2.txt")).as("a rename within the upload directory is allowed: " + r.output())
        .hasContent("r");
    assertThat(files.resolve("r2.txt")).doesNotExist();
    assertThat(count(r.stderr(), "Permission denied")).as(r.stderr()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void chmodAndMkdirOutsideTheUploadDirectoryAreDenied() throws IOException {
    Path target = Files.writeString(files.resolve("mode.txt"), "m\n");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    Processes.Result r = sftp("chmod 666 " + target + "\n"
        + "mkdir " + files.resolve("d") + "\n"
        + "mkdir " + upload.resolve("d") + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).as(r.output())
        .isEqualTo("rw-r--r--");
    assertThat(files.resolve("d")).doesNotExist();
    assertThat(upload.resolve("d")).as(r.output()).isDirectory();
    assertThat(count(r.stderr(), "Permission denied")).as(r.stderr()).isEqualTo(2);
  }

  @Test
  void aRepeatedOperationIsDecidedFromTheCache() throws IOException {
    Path seen = files.resolve("seen.txt");
    Files.writeString(seen, "s\n");
    Processes.Result r = sftp("ls " + seen + "\nls " + seen + "\nls " + seen + "\n");
    assertThat(r.stdout()).as(r.output()).contains("seen.txt");
    List<String> stats = gw.decisionLog().lines()
        .filter(l -> l.contains("sftp stat")).filter(l -> l.contains("\"source\":\"cache\"")).toList();
    assertThat(stats).as(gw.decisionLog()).isNotEmpty();
  }

  @Test
  void traversalIsNormalisedAndDenied() throws IOException {
    Path mine = Files.writeString(local.resolve("t.txt"), "t\n");
    String sneaky = upload + "/../files/evil.txt";
    Processes.Result r = sftp("put " + mine + " " + sneaky + "\n");
    assertThat(r.stderr()).contains("Permission denied");
    assertThat(files.resolve("evil.txt")).doesNotExist();
    // The policy saw (and the audit log kept) the path the target would have opened.
    String audit = auditText();
    assertThat(audit).contains("\"path\":\"" + files.resolve("evil.txt") + "\"")
        .contains("sftp: open outside the upload directories: " + files.resolve("evil.txt"))
        .doesNotContain(sneaky);
  }

  @Test
  void symlinkCreationIsDenied() {
    Processes.Result r = sftp("ln -s " + files.resolve("a.txt") + " " + upload.resolve("link") + "\n");
    assertThat(r.stderr()).contains("Permission denied");
    assertThat(Files.isSymbolicLink(upload.resolve("link"))).isFalse();
    assertThat(upload.resolve("link")).doesNotExist();
  }

  @Test
  void scpUploadIntoTheUploadDirectoryIsCopiedByteForByte() throws IOException {
    byte[] data = new byte[3 * 1024 * 1024 + 17];
    new Random(5).nextBytes(data);
    Path src = Files.write(local.resolve("big.bin"), data);
    Processes.Result r = scp(List.of(), src.toString(), "web-1@127.0.0.1:" + upload.resolve("big.bin"));
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(Files.readAllBytes(upload.resolve("big.bin"))).isEqualTo(data);

    Path back = local.resolve("back.bin");
    Processes.Result down = scp(List.of(), "web-1@127.0.0.1:" + upload.resolve("big.bin"), back.toString());
    assertThat(down.exitCode()).as(down.output()).isZero();
    assertThat(Files.readAllBytes(back)).isEqualTo(data);
  }

  @Test
  void scpUploadOutsideTheUploadDirectoryIsDenied() throws IOException {
    Path src = Files.writeString(local.resolve("s.txt"), "s\n");
    Processes.Result r = scp(List.of(), src.toString(), "web-1@127.0.0.1:" + files.resolve("s.txt"));
    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.stderr()).contains("Permission denied");
    assertThat(files.resolve("s.txt")).doesNotExist();
  }

  @Test
  void legacyScpIsDecidedAsAnExecAndRefused() throws IOException {
    Path src = Files.writeString(local.resolve("legacy.txt"), "legacy\n");
    Processes.Result up = scp(List.of("-O"), src.toString(), "web-1@127.0.0.1:" + upload.resolve("legacy.txt"));
    assertThat(up.exitCode()).as(up.output()).isNotZero();
    assertThat(upload.resolve("legacy.txt")).doesNotExist();
    Processes.Result down = scp(List.of("-O"), "web-1@127.0.0.1:" + files.resolve("a.txt"),
        local.resolve("legacy-down.txt").toString());
    assertThat(down.exitCode()).as(down.output()).isNotZero();
    assertThat(local.resolve("legacy-down.txt")).doesNotExist();
    String log = gw.decisionLog();
    assertThat(log).contains("exec scp");
  }

  private static Processes.Result sftp(String commands) {
    List<String> command = new ArrayList<>(List.of("sftp", "-F", "/dev/null", "-P", String.valueOf(gw.sshPort())));
    command.addAll(clientOptions());
    command.add("web-1@127.0.0.1");
    return Processes.run(command, gw.env(token), commands + "bye\n", Duration.ofSeconds(30));
  }

  private static Processes.Result scp(List<String> flags, String from, String to) {
    List<String> command = new ArrayList<>(List.of("scp", "-F", "/dev/null", "-P", String.valueOf(gw.sshPort())));
    command.addAll(flags);
    command.addAll(clientOptions());
    command.add(from);
    command.add(to);
    return Processes.run(command, gw.env(token), null, Duration.ofSeconds(30));
  }

  private static List<String> clientOptions() {
    return List.of("-o", "StrictHostKeyChecking=accept-new",
        "-o", "UserKnownHostsFile=" + local.resolve("known_hosts"),
        "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no", "-o", "BatchMode=no",
        "-o", "NumberOfPasswordPrompts=1", "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR",
        "-o", "Ciphers=aes128-gcm@openssh.com");
  }

  /** Every record the gateway's embedded audit store holds, as text. */
  private static String auditText() throws IOException {
    StringBuilder all = new StringBuilder();
    try (var paths = Files.walk(gw.dataDir())) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        all.append(new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return all.toString();
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  private static Path open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    return dir;
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(dir)));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, to.resolve(from.relativize(file)));
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
