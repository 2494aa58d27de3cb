package io.portcullis.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * How the gateway masks result values.
 *
 * @param hashKeyEnv environment variable holding the HMAC key of the {@code hash} strategy (hex,
 *     at least 32 bytes), or null
 * @param hashKeyFile file holding that key (hex), or null; with neither, a key is generated once in
 *     {@code <data_dir>/mask-hmac.key} and kept, so hashed values stay stable across restarts
 * @param catalogTtlS seconds a target's table and column names are cached, default 60
 */
public record MaskingSettings(String hashKeyEnv, String hashKeyFile, Integer catalogTtlS) {

  private static final int MIN_KEY_BYTES = 32;

  public MaskingSettings {
    catalogTtlS = catalogTtlS == null ? 60 : catalogTtlS;
  }

  /** All defaults. */
  public static MaskingSettings defaults() {
    return new MaskingSettings(null, null, null);
  }

  void validate(List<String> errors) {
    if (hashKeyEnv != null && hashKeyFile != null) {
      errors.add("masking: set at most one of hash_key_env and hash_key_file");
    }
    if (catalogTtlS < 0 || catalogTtlS > 86_400) {
      errors.add("masking.catalog_ttl_s: " + catalogTtlS + " (expected: 0..86400)");
    }
  }

  /**
   * The HMAC key: from the environment, the key file, or generated once in {@code dataDir}.
   *
   * @throws IllegalStateException when the configured key is missing or too short
   */
  public byte[] hashKey(Map<String, String> env, String dataDir) {
    String hex;
    if (hashKeyEnv != null) {
      hex = env.get(hashKeyEnv);
      if (hex == null) {
        throw new IllegalStateException("masking.hash_key_env: " + hashKeyEnv + " is not set");
      }
    } else {
      Path file = hashKeyFile != null ? Path.of(hashKeyFile) : Path.of(dataDir, "mask-hmac.key");
      try {
        if (hashKeyFile == null && !Files.exists(file)) {
          generate(file);
        }
        hex = Files.readString(file).strip();
      } catch (IOException e) {
        throw new UncheckedIOException("masking key " + file + ": " + e.getMessage(), e);
      }
    }
    byte[] key;
    try {
      key = HexFormat.of().parseHex(hex.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("masking key: not hex");
    }
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalStateException("masking key: " + key.length + " bytes (expected: >= " + MIN_KEY_BYTES + ")");
    }
    return key;
  }

  private static void generate(Path file) throws IOException {
    byte[] key = new byte[MIN_KEY_BYTES];
    new SecureRandom().nextBytes(key);
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, HexFormat.of().formatHex(key) + "\n", StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the file keeps the directory's default permissions.
    }
  }
}
