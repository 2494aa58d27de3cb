package io.portcullis.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A PEM certificate chain and private key (PKCS#8) for a TLS server.
 *
 * @param certFile path of the PEM certificate chain
 * @param keyFile path of the PEM private key
 */
public record TlsSettings(String certFile, String keyFile) {

  void validate(String prefix, List<String> errors) {
    checkFile(prefix + ".cert_file", certFile, errors);
    checkFile(prefix + ".key_file", keyFile, errors);
  }

  private static void checkFile(String setting, String file, List<String> errors) {
    if (file == null || file.isBlank()) {
      errors.add(setting + ": missing");
    } else if (!Files.isReadable(Path.of(file))) {
      errors.add(setting + ": " + file + " (expected: a readable file)");
    }
  }
}
