package io.portcullis.e2e;

import io.portcullis.it.fixture.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A throw-away CA and a server certificate for 127.0.0.1 it signed, made with openssl. */
final class TestCertificates {

  private TestCertificates() {}

  /** A directory with {@code ca.crt}, {@code server.crt} and {@code server.key} (PKCS#8). */
  static Path create() throws IOException {
    Path dir = Files.createTempDirectory("portcullis-certs-");
    Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=portcullis-test-ca", "-days", "2");
    run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
    run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "ext.cnf");
    return dir;
  }

  private static void run(Path dir, String... command) {
    List<String> full = List.of("sh", "-c", "cd '" + dir + "' && exec \"$@\"", "sh");
    var args = new java.util.ArrayList<>(full);
    args.addAll(List.of(command));
    Processes.Result r = Processes.run(args, java.util.Map.of(), null, Duration.ofSeconds(20));
    if (r.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + r.output());
    }
  }
}
